/**
 * Money, numbers and dates on screen, in the chosen language (Intl). Days are the business
 * calendar's (BUSINESS_TIMEZONE of the services): an order at 23:30 in São Paulo is that day.
 */
import i18next from "i18next";

export const BUSINESS_TIMEZONE = "America/Sao_Paulo";
/** What an absent figure shows. */
export const NO_FIGURE = "—";

function locale(): string {
  return i18next.language || "pt-BR";
}

/** "R$ 1.098,00" / "R$1,098.00": the API sends money as a number with two decimals. */
export function formatMoney(value: number | string, language = locale()): string {
  return new Intl.NumberFormat(language, { style: "currency", currency: "BRL" }).format(
    Number(value),
  );
}

/** "1.234" / "1,234" */
export function formatNumber(value: number, language = locale()): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(value);
}

/** "07/12/2026" / "12/07/2026" from an ISO day (AAAA-MM-DD) or instant. */
export function formatDate(iso: string, language = locale()): string {
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(iso) ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return new Intl.DateTimeFormat(language, {
    timeZone: BUSINESS_TIMEZONE,
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(instant);
}

/** "07/12/2026 14:05" from an instant, in the business time zone. */
export function formatDateTime(iso: string, language = locale()): string {
  return new Intl.DateTimeFormat(language, {
    timeZone: BUSINESS_TIMEZONE,
    dateStyle: "short",
    timeStyle: "short",
  }).format(new Date(iso));
}
