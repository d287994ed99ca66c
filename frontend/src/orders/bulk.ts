/**
 * Many orders at once: the rows chosen in the list, the body of PUT /orders/status and what
 * its answer says happened to each order. No React.
 */
import { toCents } from "../money/cents";
import type { BulkFailed, BulkMoved, BulkStatusRequest, BulkStatusResult, OrderStatus } from "./types";

/** The most ids one PUT /orders/status takes (order_service MAX_BULK_ORDERS). */
export const MAX_BULK_ORDERS = 1000;

/** The chosen rows: ids, in the order they were chosen. */
export type Selection = readonly string[];

export const NO_SELECTION: Selection = [];

export function toggleRow(selection: Selection, id: string): Selection {
  return selection.includes(id) ? selection.filter((chosen) => chosen !== id) : [...selection, id];
}

/** Every row of the page chosen (`checked`) or none of them; the other pages' rows are kept. */
export function selectPage(selection: Selection, pageIds: readonly string[], checked: boolean): Selection {
  if (!checked) {
    return selection.filter((id) => !pageIds.includes(id));
  }
  return [...selection, ...pageIds.filter((id) => !selection.includes(id))];
}

/** The page's header checkbox: all of its rows chosen, some, or none. */
export function pageSelectionState(selection: Selection, pageIds: readonly string[]): "all" | "some" | "none" {
  const chosen = pageIds.filter((id) => selection.includes(id)).length;
  if (chosen === 0) {
    return "none";
  }
  return chosen === pageIds.length ? "all" : "some";
}

/** Why a bulk change cannot be asked for yet. */
export type BulkProblem = "noOrders" | "tooMany" | "noStatus";

export function bulkProblem(selection: Selection, status: OrderStatus | ""): BulkProblem | null {
  const count = new Set(selection).size;
  if (count === 0) {
    return "noOrders";
  }
  if (count > MAX_BULK_ORDERS) {
    return "tooMany";
  }
  return status === "" ? "noStatus" : null;
}

/** Cancelling and returning undo work (and move stock): they are confirmed first. */
export function needsConfirmation(status: string): boolean {
  return status === "cancelled" || status === "returned";
}

/**
 * The body of PUT /orders/status: each id once, the note only when written, and the reason
 * only with `cancelled` (the API refuses it with any other status).
 */
export function bulkStatusRequest(
  selection: Selection,
  status: OrderStatus,
  note = "",
  cancelReason = "",
): BulkStatusRequest {
  const problem = bulkProblem(selection, status);
  if (problem) {
    throw new RangeError(`Pedido em lote inválido: ${problem}`);
  }
  const body: BulkStatusRequest = { order_ids: [...new Set(selection)], new_status: status };
  if (note.trim() !== "") {
    body.note = note.trim();
  }
  if (status === "cancelled" && cancelReason.trim() !== "") {
    body.cancel_reason = cancelReason.trim();
  }
  return body;
}

export interface BulkSummary {
  updated: number;
  /** Orders asked about: the changed, the refused and the unknown. */
  asked: number;
  moved: BulkMoved[];
  failed: BulkFailed[];
  notFound: string[];
  /** Σ of the totals of the orders that became approved, in cents. */
  approvedCents: number;
  /** "all": every order changed; "some"; "none". */
  outcome: "all" | "some" | "none";
}

/** What PUT /orders/status did, read for the screen (absent lists are empty). */
export function summarizeBulk(result: BulkStatusResult): BulkSummary {
  const moved = result.details ?? [];
  const failed = result.failed ?? [];
  const notFound = result.not_found ?? [];
  const updated = result.updated ?? moved.length;
  const asked = updated + failed.length + notFound.length;
  return {
    updated,
    asked,
    moved,
    failed,
    notFound,
    approvedCents: toCents(result.total_value_approved ?? 0),
    outcome: updated === 0 ? "none" : updated === asked ? "all" : "some",
  };
}

/** After a bulk change the refused orders stay chosen (to look at them); the rest is done. */
export function selectionAfterBulk(selection: Selection, summary: BulkSummary): Selection {
  const refused = new Set(summary.failed.map((failure) => failure.order_id));
  return selection.filter((id) => refused.has(id));
}
