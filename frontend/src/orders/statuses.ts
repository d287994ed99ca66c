/**
 * The order statuses, in the order of the lifecycle (SPEC §3): menus, filters, the dashboard's
 * counts and the status chart read them left to right as an order moves. Which moves are
 * allowed is the API's (an order's `allowed_transitions`), never this list.
 */
import type { components } from "../api/schema";

/** The statuses the API document names (src/api/schema.d.ts, generated). */
type ApiOrderStatus = NonNullable<components["schemas"]["OrderUpdate"]["status"]>;

export const ORDER_STATUSES = [
  "pending",
  "approved",
  "processing",
  "shipped",
  "delivered",
  "cancelled",
  "returned",
] as const satisfies readonly ApiOrderStatus[];

export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Fails to compile when the API document gains a status this list lacks. */
type Missing = Exclude<ApiOrderStatus, OrderStatus>;
export const ALL_API_STATUSES_LISTED: [Missing] extends [never] ? true : never = true;

export function isOrderStatus(value: unknown): value is OrderStatus {
  return ORDER_STATUSES.includes(value as OrderStatus);
}
