/**
 * The API's refusals put where they belong: the 409 `insufficient_stock` shortages
 * (`data.shortages`: product, requested, available) on their cart or order lines, and the
 * envelope's `errors[].field` beside the field or line that caused them. No React.
 */

import { ApiError, type FieldError } from "../api/client";
import { freeUnits, type CartLine } from "./cart";

/** One product short of stock, as the order service reports it. */
export interface LineShortage {
  productId: string;
  productName: string;
  requested: number;
  available: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readShortage(value: unknown): LineShortage | null {
  if (!isRecord(value) || typeof value.product_id !== "string") {
    return null;
  }
  const requested = Number(value.requested);
  const available = Number(value.available);
  if (!Number.isFinite(requested) || !Number.isFinite(available)) {
    return null;
  }
  return {
    productId: value.product_id,
    productName: typeof value.product_name === "string" ? value.product_name : "",
    requested,
    available: freeUnits(available),
  };
}

/** The shortages a list holds (an order's `shortages`, a 409's `data.shortages`). */
export function readShortageList(value: unknown): LineShortage[] {
  return Array.isArray(value)
    ? value.map(readShortage).filter((shortage): shortage is LineShortage => shortage !== null)
    : [];
}

/** The shortages of a refusal: a 409 whose data lists them; nothing for anything else. */
export function shortagesOf(error: unknown): LineShortage[] {
  if (!(error instanceof ApiError) || error.status !== 409 || !isRecord(error.data)) {
    return [];
  }
  return readShortageList(error.data.shortages);
}

/** The shortage of `productId`, if any. */
export function shortageFor(
  shortages: readonly LineShortage[],
  productId: string,
): LineShortage | undefined {
  return shortages.find((shortage) => shortage.productId === productId);
}

/**
 * The shortage to show on a cart line: the product's, while the line still asks for more
 * than the stock said was free (a line brought down to it no longer shows one).
 */
export function shortageOnLine(
  line: CartLine,
  shortages: readonly LineShortage[],
): LineShortage | undefined {
  const shortage = shortageFor(shortages, line.product.id);
  return shortage && line.quantity > shortage.available ? shortage : undefined;
}

/** The lines still short, with their shortage. */
export function shortLines(
  lines: readonly CartLine[],
  shortages: readonly LineShortage[],
): { line: CartLine; shortage: LineShortage }[] {
  return lines.flatMap((line) => {
    const shortage = shortageOnLine(line, shortages);
    return shortage ? [{ line, shortage }] : [];
  });
}

/**
 * "Ajustar ao disponível": each short line brought down to what is free (and the product's
 * free units updated); a product with nothing free leaves the cart. Other lines stay.
 */
export function adjustToAvailable(
  lines: readonly CartLine[],
  shortages: readonly LineShortage[],
): CartLine[] {
  return lines.flatMap((line) => {
    const shortage = shortageFor(shortages, line.product.id);
    if (!shortage) {
      return [line];
    }
    if (shortage.available < 1) {
      return [];
    }
    return [
      {
        product: { ...line.product, available: shortage.available },
        quantity: Math.min(line.quantity, shortage.available),
      },
    ];
  });
}

/**
 * Field errors of the order's lines (`items.3.quantity`, `items.0.product_id`), by the
 * product of that line in the body that was sent.
 */
export function lineErrors(
  errors: readonly FieldError[],
  sentProductIds: readonly string[],
): Map<string, string[]> {
  const byProduct = new Map<string, string[]>();
  for (const error of errors) {
    const match = /^items\.(\d+)(\.|$)/.exec(error.field);
    const productId = match ? sentProductIds[Number(match[1])] : undefined;
    if (productId && error.message) {
      byProduct.set(productId, [...(byProduct.get(productId) ?? []), error.message]);
    }
  }
  return byProduct;
}

/**
 * Field errors split into those of `fields` (shown beside them) and the messages of the
 * others (shown with the form's alert). Messages are kept once per field.
 */
export function splitFieldErrors(
  errors: readonly FieldError[],
  fields: readonly string[],
): { byField: Record<string, string[]>; others: string[] } {
  const byField: Record<string, string[]> = {};
  const others: string[] = [];
  for (const error of errors) {
    if (!error.message) continue;
    if (fields.includes(error.field)) {
      const list = (byField[error.field] ??= []);
      if (!list.includes(error.message)) list.push(error.message);
    } else if (!others.includes(error.message)) {
      others.push(error.message);
    }
  }
  return { byField, others };
}
