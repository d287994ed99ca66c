/**
 * The reports page's filters and requests: GET /orders/reports/period and
 * GET /orders/reports/performance (docs/reports.md). The filters live in the page's URL
 * (`?date_from=…&date_to=…&months=…`) so that a report can be bookmarked or shared; these
 * functions turn that query string into requests and back, with no React.
 */

import { authorizedRequest } from "../auth/authorized";
import { BUSINESS_TIMEZONE } from "./format";
import type { Grouping, PerformanceReport, PeriodReport, PeriodReportQuery } from "./types";

/** The period shown when the URL names none: the last 30 days, today included. */
export const DEFAULT_PERIOD_DAYS = 30;
/** The longest window the API accepts (a longer one is its 400). */
export const MAX_PERIOD_DAYS = 366;
/** The groupings the page shows: the status chart and the top clients. */
export const PAGE_GROUPINGS: readonly Grouping[] = ["status", "client"];

export const DEFAULT_MONTHS = 3;
export const MIN_MONTHS = 1;
export const MAX_MONTHS = 24;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** "AAAA-MM-DD" in shape (whether the day exists is the API's call). */
export function isIsoDay(value: string | null): value is string {
  return value !== null && ISO_DAY.test(value);
}

/** Today on the business calendar, as AAAA-MM-DD (not the browser's nor UTC's day). */
export function businessToday(now: Date = new Date(), timeZone = BUSINESS_TIMEZONE): string {
  // en-CA writes dates as AAAA-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

/** `day` moved by `days` calendar days (negative: back). */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The last `days` days up to `today`, both ends included. */
export function defaultPeriod(today: string, days = DEFAULT_PERIOD_DAYS): PeriodReportQuery {
  return { date_from: addDays(today, -(days - 1)), date_to: today };
}

/**
 * The period the URL asks for; a missing or malformed date is the default's. A reversed or
 * too long window is left as it is: the API refuses it with a message people can read.
 */
export function readPeriod(params: URLSearchParams, today: string): PeriodReportQuery {
  const fallback = defaultPeriod(today);
  const from = params.get("date_from");
  const to = params.get("date_to");
  return {
    date_from: isIsoDay(from) ? from : fallback.date_from,
    date_to: isIsoDay(to) ? to : fallback.date_to,
  };
}

/** The months the URL asks for: a whole number brought into 1–24; anything else is 3. */
export function readMonths(params: URLSearchParams): number {
  const raw = params.get("months");
  const months = raw === null || raw.trim() === "" ? Number.NaN : Number(raw);
  if (!Number.isInteger(months)) {
    return DEFAULT_MONTHS;
  }
  return Math.min(MAX_MONTHS, Math.max(MIN_MONTHS, months));
}

/** The page's query string with this period, the other filters kept. */
export function withPeriod(params: URLSearchParams, period: PeriodReportQuery): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set("date_from", period.date_from);
  next.set("date_to", period.date_to);
  return next;
}

/** The page's query string with these months, the other filters kept. */
export function withMonths(params: URLSearchParams, months: number): URLSearchParams {
  const next = new URLSearchParams(params);
  next.set("months", String(months));
  return next;
}

/**
 * The period report's path. `group_by` is one comma-separated value (the API reads a
 * delimited list: a repeated `group_by` would keep only the first).
 */
export function periodReportPath(
  period: PeriodReportQuery,
  groupings: readonly Grouping[] = PAGE_GROUPINGS,
): string {
  const query = new URLSearchParams({ date_from: period.date_from, date_to: period.date_to });
  if (groupings.length > 0) {
    query.set("group_by", groupings.join(","));
  }
  return `/orders/reports/period?${query}`;
}

export function performanceReportPath(months: number): string {
  return `/orders/reports/performance?${new URLSearchParams({ months: String(months) })}`;
}

export function getPeriodReport(period: PeriodReportQuery, signal?: AbortSignal) {
  return authorizedRequest<PeriodReport>(periodReportPath(period), { signal });
}

export function getPerformanceReport(months: number, signal?: AbortSignal) {
  return authorizedRequest<PerformanceReport>(performanceReportPath(months), { signal });
}

