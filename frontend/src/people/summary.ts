/** The figures of a client's summary (GET /clients/{id}/orders?summary=true), ready to show. */
import type { ClientSummary, TopProduct } from "./api";
import { ORDER_STATUSES } from "../orders/statuses";

/** Σ value ÷ orders, in cents (money is never divided in floating reais); null without orders. */
export function averageTicket(summary: ClientSummary | undefined): number | null {
  const orders = summary?.total_orders ?? 0;
  if (orders <= 0) {
    return null;
  }
  const cents = Math.round((summary?.total_value ?? 0) * 100);
  return Math.round(cents / orders) / 100;
}

/** Every status the API counted, in lifecycle order (any status it adds later goes last). */
export function statusCounts(summary: ClientSummary | undefined): { status: string; count: number }[] {
  const counts = summary?.by_status ?? {};
  const known: string[] = ORDER_STATUSES.filter((status) => status in counts);
  const extra = Object.keys(counts).filter((status) => !known.includes(status));
  return [...known, ...extra].map((status) => ({ status, count: counts[status] ?? 0 }));
}

/** The top product, when there is one (the API sends null or {} without valid orders). */
export function topProduct(summary: ClientSummary | undefined): TopProduct | null {
  const top = summary?.top_product;
  return top && "name" in top && top.name ? (top as TopProduct) : null;
}
