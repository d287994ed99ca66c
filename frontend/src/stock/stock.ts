/**
 * Stock of one product (GET /stock/{id}), its manual adjustments (POST …/adjustments) and its
 * ledger (GET …/movements), and the rules an adjustment is checked against before it is sent.
 * Query keys live under ["catalogue", …] with the rest of the catalogue's data.
 */
import type { components } from "../api/schema";
import type { Page } from "../api/client";
import { authorizedPage, authorizedRequest } from "../auth/authorized";

type Schemas = components["schemas"];

export type StockLevel = Required<Schemas["StockLevel"]>;
export type AdjustmentRequest = Schemas["AdjustmentRequest"];
export type AdjustmentReason = AdjustmentRequest["reason"];
export type Movement = Required<Omit<Schemas["Movement"], "available_after">> & { available_after: number };
export type MovementCause = Movement["cause"];
export type Adjusted = { stock: Required<Schemas["Stock"]>; movement: Movement };

export const REASONS: readonly AdjustmentReason[] = ["receipt", "loss", "count", "return"];

export const CAUSES: readonly MovementCause[] = [
  "initial",
  "receipt",
  "loss",
  "count",
  "return",
  "order_reserved",
  "order_released",
  "order_shipped",
  "order_returned",
  "replenishment_received",
];

/** The stock service's ceiling for on_hand, and so for one adjustment. */
export const MAX_ON_HAND = 1_000_000_000;
export const MOVEMENTS_PAGE_SIZE = 10;

/** The sign each reason asks for: receipt and return bring units in, loss takes them out. */
export function reasonSign(reason: AdjustmentReason): "positive" | "negative" | "any" {
  switch (reason) {
    case "receipt":
    case "return":
      return "positive";
    case "loss":
      return "negative";
    default:
      return "any";
  }
}

export type AdjustmentProblem = "not_whole" | "zero" | "too_large" | "must_be_positive" | "must_be_negative";

/**
 * Why the stock service would refuse this adjustment (an i18n key under `adjustment.problem`),
 * or null. Only what can be known here; whether enough units are free is the service's
 * decision (a 409 with its numbers).
 */
export function adjustmentProblem(delta: string, reason: AdjustmentReason): AdjustmentProblem | null {
  const written = delta.trim();
  if (!/^[+-]?\d+$/.test(written)) {
    return "not_whole";
  }
  const amount = Number(written);
  if (amount === 0) {
    return "zero";
  }
  if (Math.abs(amount) > MAX_ON_HAND) {
    return "too_large";
  }
  const sign = reasonSign(reason);
  if (sign === "positive" && amount < 0) {
    return "must_be_positive";
  }
  if (sign === "negative" && amount > 0) {
    return "must_be_negative";
  }
  return null;
}

/** The request body for a checked adjustment: the delta as a number, a blank note left out. */
export function adjustmentBody(delta: string, reason: AdjustmentReason, note: string): AdjustmentRequest {
  const written = note.trim();
  return { delta: Number(delta.trim()), reason, note: written === "" ? null : written };
}

export const stockKeys = {
  level: (productId: string) => ["catalogue", "stock", productId] as const,
  movements: (productId: string) => ["catalogue", "movements", productId] as const,
  movementPage: (productId: string, cause: string, page: number) =>
    ["catalogue", "movements", productId, { cause, page }] as const,
};

const productPath = (productId: string) => `/stock/${encodeURIComponent(productId)}`;

export function getStockLevel(productId: string, signal?: AbortSignal): Promise<StockLevel> {
  return authorizedRequest<StockLevel>(productPath(productId), { signal });
}

export function adjustStock(productId: string, body: AdjustmentRequest): Promise<Adjusted> {
  return authorizedRequest<Adjusted>(`${productPath(productId)}/adjustments`, { method: "POST", body });
}

export function movementsPath(productId: string, cause: string, page: number): string {
  const query = new URLSearchParams({ page: String(page), page_size: String(MOVEMENTS_PAGE_SIZE) });
  if (cause !== "") {
    query.set("cause", cause);
  }
  return `${productPath(productId)}/movements?${query}`;
}

export function listMovements(
  productId: string,
  cause: string,
  page: number,
  signal?: AbortSignal,
): Promise<Page<Movement>> {
  return authorizedPage<Movement>(movementsPath(productId, cause, page), { signal });
}
