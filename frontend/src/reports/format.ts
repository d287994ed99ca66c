/** How the reports' numbers read on screen (pt-BR): money in reais, percentages, hours, dates. */

/** The business calendar the order service counts days in (BUSINESS_TIMEZONE). */
export const BUSINESS_TIMEZONE = "America/Sao_Paulo";

/** What an absent figure (null: nothing to compute it from) shows. */
export const NO_FIGURE = "—";

const BRL = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });
const INTEGER = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 0 });
const DECIMAL = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 2 });
const HOURS = new Intl.NumberFormat("pt-BR", { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat("pt-BR", { style: "percent", maximumFractionDigits: 2 });
const GROWTH = new Intl.NumberFormat("pt-BR", {
  style: "percent",
  maximumFractionDigits: 2,
  signDisplay: "exceptZero",
});
const MONEY_AXIS = new Intl.NumberFormat("pt-BR", {
  style: "currency",
  currency: "BRL",
  notation: "compact",
  minimumFractionDigits: 0,
  maximumFractionDigits: 1,
});
const DAY_IN_BUSINESS_TIMEZONE = new Intl.DateTimeFormat("pt-BR", {
  timeZone: BUSINESS_TIMEZONE,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});

const MONTHS = ["jan", "fev", "mar", "abr", "mai", "jun", "jul", "ago", "set", "out", "nov", "dez"];

/** "R$ 1.098,00" (the API sends money as a number with two decimals). */
export function formatMoney(value: number): string {
  return BRL.format(value);
}

/** "R$ 45,8 mil": an axis tick, where the exact cents would not fit. */
export function formatMoneyShort(value: number): string {
  return MONEY_AXIS.format(value);
}

/** "1.234" */
export function formatInteger(value: number): string {
  return INTEGER.format(value);
}

/** "3,2%" from the API's percentage (3.2, not 0.032); null reads as "—". */
export function formatPercent(percent: number | null): string {
  return percent === null ? NO_FIGURE : PERCENT.format(percent / 100);
}

/** "+8,15%", "−3%", "0%": a change, always with its sign; null reads as "—". */
export function formatGrowth(percent: number | null): string {
  return percent === null ? NO_FIGURE : GROWTH.format(percent / 100);
}

/** "60 h", "2,5 h"; null (no approval in the window) reads as "—". */
export function formatHours(hours: number | null): string {
  return hours === null ? NO_FIGURE : `${HOURS.format(hours)} h`;
}

/** "12,5": a plain number with up to two decimals. */
export function formatDecimal(value: number): string {
  return DECIMAL.format(value);
}

/** "2026-09" → "set/2026" (a chart's month label). */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  return match && index >= 0 && index < 12 ? `${MONTHS[index]}/${match[1]}` : month;
}

/** "2026-11-01" → "01/11/2026"; anything else as it came. */
export function formatDay(day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return match ? `${match[3]}/${match[2]}/${match[1]}` : day;
}

/** An ISO instant as its day in Brasília: "2026-10-02T13:00:00Z" → "02/10/2026". */
export function formatInstantDay(instant: string): string {
  const date = new Date(instant);
  return Number.isNaN(date.getTime()) ? instant : DAY_IN_BUSINESS_TIMEZONE.format(date);
}
