/**
 * Automatic replenishment (POST /orders/auto/low-stock): the request, and the figures the
 * review shows. The order service computes the plan; the page adds it up to show totals per
 * supplier and says why nothing was created. Money is added in integer cents.
 */
import { authorizedRequest } from "../auth/authorized";
import type { LowStockRequest, PlannedLine, PlannedOrder, Replenishment } from "./types";

export const DEFAULT_THRESHOLD = 20;
export const MIN_THRESHOLD = 1;
export const MAX_THRESHOLD = 100;

export interface ReplenishmentDraft {
  threshold: string;
  section: string;
}

/** An i18n key under `replenishment.problem`. */
export type ThresholdProblem = "threshold";

/** The request for this form (simulate or not), or the threshold's problem. */
export function lowStockRequest(
  draft: ReplenishmentDraft,
  simulate: boolean,
): { ok: true; body: LowStockRequest } | { ok: false; problem: ThresholdProblem } {
  const written = draft.threshold.trim();
  const threshold = written === "" ? DEFAULT_THRESHOLD : Number(written);
  if (!/^\d*$/.test(written) || threshold < MIN_THRESHOLD || threshold > MAX_THRESHOLD) {
    return { ok: false, problem: "threshold" };
  }
  const section = draft.section.trim();
  return { ok: true, body: { threshold_percent: threshold, section: section === "" ? null : section, simulate } };
}

export function runLowStock(body: LowStockRequest): Promise<Replenishment> {
  return authorizedRequest<Replenishment>("/orders/auto/low-stock", { method: "POST", body });
}

const cents = (value: number) => Math.round(value * 100);

/** What a line should ask for: up to the ideal quantity (ideal − available), never less than 0. */
export function expectedQuantity(line: Pick<PlannedLine, "ideal_quantity" | "available">): number {
  return Math.max(0, line.ideal_quantity - line.available);
}

export interface SupplierTotals {
  supplierId: string;
  lines: number;
  units: number;
  /** Σ line_total, in reais (added in cents). */
  value: number;
}

export interface ReplenishmentSummary {
  orders: number;
  lines: number;
  units: number;
  value: number;
  perSupplier: SupplierTotals[];
  /** Lines whose quantity is not ideal − available (should be none: a sign of a stale plan). */
  unexpectedLines: string[];
  /** Whether the API's `total_value` matches the lines (to the cent). */
  totalMatches: boolean;
}

export function supplierTotals(order: PlannedOrder): SupplierTotals {
  return {
    supplierId: order.supplier_id,
    lines: order.items.length,
    units: order.items.reduce((total, line) => total + line.quantity, 0),
    value: order.items.reduce((total, line) => total + cents(line.line_total), 0) / 100,
  };
}

export function summarise(plan: Replenishment): ReplenishmentSummary {
  const perSupplier = plan.details.map(supplierTotals);
  const valueCents = perSupplier.reduce((total, supplier) => total + cents(supplier.value), 0);
  return {
    orders: plan.details.length,
    lines: perSupplier.reduce((total, supplier) => total + supplier.lines, 0),
    units: perSupplier.reduce((total, supplier) => total + supplier.units, 0),
    value: valueCents / 100,
    perSupplier,
    unexpectedLines: plan.details.flatMap((order) =>
      order.items.filter((line) => line.quantity !== expectedQuantity(line)).map((line) => line.product_id),
    ),
    totalMatches: cents(plan.total_value) === valueCents,
  };
}

/**
 * Why a run created no order (an i18n key under `replenishment.why`), or null when it did:
 * nothing below the threshold, everything already on an open replenishment order, or the
 * low products could not be ordered (no supplier, supplier inactive, already at the ideal).
 */
export type NothingReason = "none_low" | "all_open" | "not_processable" | "mixed";

export function whyNothing(result: Replenishment): NothingReason | null {
  if (result.details.length > 0) {
    return null;
  }
  const open = result.already_on_open_orders.length;
  const refused = result.not_processed.length;
  if (result.low_stock_items === 0 || open + refused === 0) {
    return "none_low";
  }
  if (refused === 0) {
    return "all_open";
  }
  return open === 0 ? "not_processable" : "mixed";
}

/**
 * Whether the real run asked for something other than the simulation the user confirmed
 * (stock moved in between): the products and quantities of both plans, compared.
 */
export function differsFromPlan(simulated: Replenishment, created: Replenishment): boolean {
  const lines = (plan: Replenishment) =>
    plan.details
      .flatMap((order) => order.items.map((line) => `${order.supplier_id}/${line.product_id}/${line.quantity}`))
      .sort()
      .join("|");
  return lines(simulated) !== lines(created);
}
