/** The reports' answers turned into what the charts, tables and alert lists draw, with no React. */

import i18next from "../i18n";
import { ORDER_STATUSES } from "../orders/statuses";
import { formatDecimal, formatGrowth, formatInstantDay, formatInteger, formatMoney, formatMonth } from "./format";
import type { Alert, AlertType, MonthFigures, ReportGroup } from "./types";

/** The order lifecycle (SPEC §3): the status chart reads left to right as an order moves. */
const STATUS_ORDER: readonly string[] = ORDER_STATUSES;

export interface StatusBar {
  status: string;
  label: string;
  orders: number;
  value: number;
}

/** `by_status` as bars in lifecycle order (the API sends it largest value first). */
export function statusChartData(groups: readonly ReportGroup[] | undefined): StatusBar[] {
  const rank = (status: string) => {
    const index = STATUS_ORDER.indexOf(status);
    return index === -1 ? STATUS_ORDER.length : index;
  };
  return (groups ?? [])
    .map((group) => {
      const status = group.id ?? group.name ?? "";
      const label = i18next.t(`common:status.${status}`, { defaultValue: status });
      return { status, label, orders: group.orders, value: group.value };
    })
    .sort((a, b) => rank(a.status) - rank(b.status) || a.status.localeCompare(b.status));
}

/** How many clients the "top clients" table lists. */
export const TOP_CLIENTS = 10;

/** The first `limit` groups, in the API's order (largest value first, then more orders). */
export function topGroups(groups: readonly ReportGroup[] | undefined, limit = TOP_CLIENTS): ReportGroup[] {
  return (groups ?? []).slice(0, limit);
}

/** The share of `total` a group's value is, in % (0 when there is no total). */
export function sharePercent(value: number, total: number): number {
  return total > 0 ? Math.round((value / total) * 10000) / 100 : 0;
}

export interface MonthPoint {
  month: string;
  label: string;
  value: number;
  orders: number;
  growth: number | null;
}

/** `overall.monthly` as chart points, oldest month first. */
export function monthlyChartData(monthly: readonly MonthFigures[]): MonthPoint[] {
  return [...monthly]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((month) => ({
      month: month.month,
      label: formatMonth(month.month),
      value: month.value,
      orders: month.orders,
      growth: month.growth_percent,
    }));
}

/** How many items of each alert the page lists. */
export const ALERT_ITEMS_SHOWN = 10;

/** The alerts this page knows by name (reports:alerts.titles.*); others show their type. */
export const ALERT_TYPES: readonly AlertType[] = [
  "critical_stock",
  "products_without_orders",
  "suppliers_without_orders",
  "price_outliers",
];

/** The alert's name in the current language. */
export function alertTitle(type: string): string {
  return (ALERT_TYPES as readonly string[]).includes(type) ? i18next.t(`reports:alerts.titles.${type}`) : type;
}

export interface AlertLines {
  /** One line of text per item shown. */
  lines: string[];
  /** Items found but not listed (`count` is every item; the API sends at most 100). */
  hidden: number;
}

/** An alert's first `limit` items as text, and how many more there are. */
export function alertLines(alert: Alert, limit = ALERT_ITEMS_SHOWN): AlertLines {
  const lines = itemLines(alert).slice(0, limit);
  return { lines, hidden: Math.max(0, Math.max(alert.count, alert.items.length) - lines.length) };
}

/** Each item as one line of text, in the current language. */
function itemLines(alert: Alert): string[] {
  const t = i18next.t.bind(i18next);
  switch (alert.type) {
    case "critical_stock":
      return alert.items.map((item) => {
        const figures = {
          name: item.name,
          available: formatInteger(item.available),
          ideal: formatInteger(item.ideal_quantity),
        };
        return item.percent_of_ideal === null
          ? t("reports:alerts.items.criticalStock", figures)
          : t("reports:alerts.items.criticalStockShare", { ...figures, percent: formatDecimal(item.percent_of_ideal) });
      });
    case "products_without_orders":
    case "suppliers_without_orders":
      return alert.items.map((item) =>
        t("reports:alerts.items.withoutOrders", {
          name: item.name,
          days: formatInteger(item.days_without_orders),
          last: formatInstantDay(item.last_order_at),
        }),
      );
    case "price_outliers":
      return alert.items.map((item) =>
        t("reports:alerts.items.priceOutlier", {
          number: item.number,
          name: item.name,
          price: formatMoney(item.unit_price),
          usual: formatMoney(item.usual_price),
          deviation: formatGrowth(item.deviation_percent),
        }),
      );
    default:
      // A type this page does not know yet: its items' names, when they have one.
      return ((alert as { items?: unknown[] }).items ?? []).map((item) =>
        typeof item === "object" && item !== null && "name" in item ? String(item.name) : JSON.stringify(item),
      );
  }
}
