/**
 * How the reports' numbers read on screen, in the current language (i18next): money in
 * reais, percentages, hours, months and days. Each call follows a language switch at once.
 */

import i18next from "../i18n";
import { BUSINESS_TIMEZONE, NO_FIGURE, formatDate } from "../i18n/format";

/** The business calendar the order service counts days in; what an absent figure shows. */
export { BUSINESS_TIMEZONE, NO_FIGURE };

const NUMBER_OPTIONS = {
  money: { style: "currency", currency: "BRL" },
  integer: { maximumFractionDigits: 0 },
  decimal: { maximumFractionDigits: 2 },
  hours: { maximumFractionDigits: 1 },
  percent: { style: "percent", maximumFractionDigits: 2 },
  growth: { style: "percent", maximumFractionDigits: 2, signDisplay: "exceptZero" },
  // An axis tick, where the exact cents would not fit.
  moneyShort: {
    style: "currency",
    currency: "BRL",
    notation: "compact",
    minimumFractionDigits: 0,
    maximumFractionDigits: 1,
  },
} satisfies Record<string, Intl.NumberFormatOptions>;

type NumberStyle = keyof typeof NUMBER_OPTIONS;

// Intl formats are costly to build and a chart asks for one per tick: one per language and style.
const numberFormats = new Map<string, Intl.NumberFormat>();
const monthFormats = new Map<string, Intl.DateTimeFormat>();

function language(): string {
  return i18next.language || "pt-BR";
}

function formatAs(style: NumberStyle, value: number): string {
  const key = `${language()}|${style}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(language(), NUMBER_OPTIONS[style]);
    numberFormats.set(key, format);
  }
  return format.format(value);
}

function monthName(year: number, monthIndex: number): string {
  let format = monthFormats.get(language());
  if (!format) {
    format = new Intl.DateTimeFormat(language(), { month: "short", timeZone: "UTC" });
    monthFormats.set(language(), format);
  }
  // "set." → "set": the label already separates the month from the year.
  return format.format(new Date(Date.UTC(year, monthIndex, 15))).replace(/\.$/, "");
}

/** "R$ 1.098,00" / "R$1,098.00" (the API sends money as a number with two decimals). */
export function formatMoney(value: number): string {
  return formatAs("money", value);
}

/** "R$ 45,8 mil" / "R$45.8K": an axis tick, where the exact cents would not fit. */
export function formatMoneyShort(value: number): string {
  return formatAs("moneyShort", value);
}

/** "1.234" / "1,234" */
export function formatInteger(value: number): string {
  return formatAs("integer", value);
}

/** "3,2%" / "3.2%" from the API's percentage (3.2, not 0.032); null reads as "—". */
export function formatPercent(percent: number | null): string {
  return percent === null ? NO_FIGURE : formatAs("percent", percent / 100);
}

/** "+8,15%", "−3%", "0%": a change, always with its sign; null reads as "—". */
export function formatGrowth(percent: number | null): string {
  return percent === null ? NO_FIGURE : formatAs("growth", percent / 100);
}

/** "60 h", "2,5 h"; null (no approval in the window) reads as "—". */
export function formatHours(hours: number | null): string {
  return hours === null ? NO_FIGURE : i18next.t("reports:format.hours", { hours: formatAs("hours", hours) });
}

/** "12,5" / "12.5": a plain number with up to two decimals. */
export function formatDecimal(value: number): string {
  return formatAs("decimal", value);
}

/** "2026-09" → "set/2026" / "Sep 2026" (a chart's month label); anything else as it came. */
export function formatMonth(month: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const index = match ? Number(match[2]) - 1 : -1;
  if (!match || index < 0 || index > 11) {
    return month;
  }
  return i18next.t("reports:format.month", { month: monthName(Number(match[1]), index), year: match[1] });
}

/** "2026-11-01" → "01/11/2026" / "11/01/2026"; anything else as it came. */
export function formatDay(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(day)) ? formatDate(day) : day;
}

/** An ISO instant as its day in Brasília: "2026-10-02T13:00:00Z" → "02/10/2026". */
export function formatInstantDay(instant: string): string {
  return Number.isNaN(new Date(instant).getTime()) ? instant : formatDate(instant);
}
