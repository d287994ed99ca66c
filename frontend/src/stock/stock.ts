/** The stock screen's calls to the API and the rules it checks before sending. */

import { authorizedRequest } from "../auth/authorized";

export interface StockLevel {
  product_id: string;
  product_name: string;
  section: string;
  unit: string;
  ideal_quantity: number;
  on_hand: number;
  reserved: number;
  available: number;
  percent_of_ideal: number | null;
  low_stock: boolean;
}

export type AdjustmentReason = "receipt" | "loss" | "count" | "return";

export const REASONS: { value: AdjustmentReason; label: string }[] = [
  { value: "receipt", label: "Entrada (recebimento)" },
  { value: "loss", label: "Perda" },
  { value: "count", label: "Correção por contagem" },
  { value: "return", label: "Devolução fora de pedido" },
];

/** Below this share of the ideal quantity the list can be narrowed to (SPEC's low stock). */
export const LOW_STOCK_PERCENT = 20;

/**
 * Why the stock service would refuse this adjustment, in the words it uses, or null. Only
 * what can be known here; whether enough units are free is decided by the service (409).
 */
export function adjustmentProblem(delta: number, reason: AdjustmentReason): string | null {
  if (!Number.isInteger(delta) || delta === 0) {
    return "Informe uma quantidade inteira diferente de zero.";
  }
  if ((reason === "receipt" || reason === "return") && delta < 0) {
    return "Entradas (receipt, return) devem ser positivas.";
  }
  if (reason === "loss" && delta > 0) {
    return "Perdas (loss) devem ser negativas.";
  }
  return null;
}

export function listStock(
  filters: { section: string; lowOnly: boolean },
  signal?: AbortSignal,
): Promise<StockLevel[]> {
  const params = new URLSearchParams({ page_size: "20", active: "true" });
  if (filters.section.trim() !== "") {
    params.set("section", filters.section.trim());
  }
  if (filters.lowOnly) {
    params.set("below_percent", String(LOW_STOCK_PERCENT));
  }
  return authorizedRequest<StockLevel[]>(`/stock?${params}`, { signal });
}

export function adjustStock(
  productId: string,
  adjustment: { delta: number; reason: AdjustmentReason; note: string },
): Promise<unknown> {
  const note = adjustment.note.trim();
  return authorizedRequest(`/stock/${encodeURIComponent(productId)}/adjustments`, {
    method: "POST",
    body: { delta: adjustment.delta, reason: adjustment.reason, ...(note ? { note } : {}) },
  });
}
