/**
 * A refused request, taken apart for the screen: the messages of each field (shown beside
 * it), the stock shortages of a 409 (shown on their lines). No React.
 */
import { ApiError } from "../api/client";
import type { Shortage } from "./types";

export function asApiError(error: unknown): ApiError | null {
  return error instanceof ApiError ? error : null;
}

/** The messages the API gave for `field` (exactly that name), joined. */
export function fieldMessage(error: unknown, field: string): string | null {
  const api = asApiError(error);
  if (!api) {
    return null;
  }
  const messages = api.errors.filter((item) => item.field === field).map((item) => item.message);
  return messages.length > 0 ? [...new Set(messages)].join(" ") : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The shortages of a 409 `insufficient_stock` (`data.shortages`); none for anything else. */
export function shortagesOf(error: unknown): Shortage[] {
  const api = asApiError(error);
  if (!api || !isRecord(api.data) || !Array.isArray(api.data.shortages)) {
    return [];
  }
  return api.data.shortages.filter(
    (item): item is Shortage =>
      isRecord(item) &&
      typeof item.product_id === "string" &&
      typeof item.requested === "number" &&
      typeof item.available === "number",
  );
}

/** The shortage of one product, if any. */
export function shortageFor(shortages: readonly Shortage[], productId: string): Shortage | null {
  return shortages.find((shortage) => shortage.product_id === productId) ?? null;
}

/**
 * The field errors of POST /orders by product: `items.3.quantity` is about the fourth line
 * of the body that was sent, whatever the cart looks like now.
 */
export function itemErrorsByProduct(
  error: unknown,
  sentItems: readonly { product_id: string }[],
): Map<string, string[]> {
  const byProduct = new Map<string, string[]>();
  const api = asApiError(error);
  if (!api) {
    return byProduct;
  }
  for (const item of api.errors) {
    const match = /^items\.(\d+)(?:\.|$)/.exec(item.field);
    const line = match ? sentItems[Number(match[1])] : undefined;
    if (line) {
      byProduct.set(line.product_id, [...(byProduct.get(line.product_id) ?? []), item.message]);
    }
  }
  return byProduct;
}

/** Whether a field error is about one line of the order (`items.N…`). */
export function isItemField(field: string): boolean {
  return /^items\.\d+/.test(field);
}
