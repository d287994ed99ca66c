/**
 * What the order pages decide from an order, with no React. The lifecycle is the API's:
 * the actions are the order's `allowed_transitions`, never a list written here.
 */

import { isOrderStatus } from "../orders/statuses";
import { readShortageList, type LineShortage } from "./shortages";
import type { OrderDetail, OrderStatus, StatusChange } from "./types";

/** How often an order whose stock is still being decided is read again. */
export const STOCK_POLL_MS = 1500;

/** The stock service has not answered yet (the order was placed or its items changed). */
export function awaitingStock(order: Pick<OrderDetail, "stock_status"> | undefined): boolean {
  return order?.stock_status === "awaiting";
}

/** TanStack Query's refetchInterval: every 1.5 s while awaiting, never once decided. */
export function stockPollInterval(order: Pick<OrderDetail, "stock_status"> | undefined): number | false {
  return awaitingStock(order) ? STOCK_POLL_MS : false;
}

/** The moves the caller may make now, as the API says (each once, in its order). */
export function transitionsOf(order: Pick<OrderDetail, "allowed_transitions"> | undefined): OrderStatus[] {
  return [...new Set(order?.allowed_transitions ?? [])].filter(isOrderStatus);
}

/** Lines may change while the order is pending (the order service refuses it afterwards). */
export function itemsEditable(order: Pick<OrderDetail, "status"> | undefined): boolean {
  return order?.status === "pending";
}

/** The status history, oldest first (entries without a time keep their place at the end). */
export function timeline(order: Pick<OrderDetail, "status_history"> | undefined): StatusChange[] {
  const entries = [...(order?.status_history ?? [])];
  return entries
    .map((entry, index) => ({ entry, index, time: entry.at ? Date.parse(entry.at) : Number.NaN }))
    .sort((a, b) => {
      const aTime = Number.isNaN(a.time) ? Number.POSITIVE_INFINITY : a.time;
      const bTime = Number.isNaN(b.time) ? Number.POSITIVE_INFINITY : b.time;
      return aTime - bTime || a.index - b.index;
    })
    .map(({ entry }) => entry);
}

/** The stock's last refusal, line by line (only while the order is `rejected`). */
export function rejectedShortages(order: Pick<OrderDetail, "stock_status" | "shortages"> | undefined): LineShortage[] {
  return order?.stock_status === "rejected" ? readShortageList(order.shortages) : [];
}
