/**
 * The shop's cart with no React: lines, quantities kept within what is free and the body of
 * POST /orders (its total in integer cents: ../money/cents).
 * The order service computes the total that counts, with the prices of the moment.
 */

import type { OrderBody, Product } from "./types";

/** What the cart keeps of a product (a snapshot; the cart page refreshes it). */
export interface CartProduct {
  id: string;
  name: string;
  unit: string;
  /** Reais, as the API sends it (a number with two decimals). */
  price: number;
  /** Units free in stock when the product was last read. */
  available: number;
}

export interface CartLine {
  product: CartProduct;
  quantity: number;
}

/** The order being attempted: its Idempotency-Key and the body it was made for. */
export interface CartAttempt {
  key: string;
  fingerprint: string;
}

export interface CartState {
  lines: CartLine[];
  notes: string;
  attempt: CartAttempt | null;
}

export const EMPTY_CART: CartState = Object.freeze({ lines: [], notes: "", attempt: null }) as CartState;

/** Whole units the order service accepts on one line (1..1,000,000). */
export const MAX_QUANTITY = 1_000_000;
/** Lines the order service accepts in one order. */
export const MAX_LINES = 200;
/** Characters of notes the order service accepts. */
export const MAX_NOTES = 2000;

/** The badge's number: how many products are in the cart. */
export function itemCount(lines: readonly CartLine[]): number {
  return lines.length;
}

export function quantityInCart(lines: readonly CartLine[], productId: string): number {
  return lines.find((line) => line.product.id === productId)?.quantity ?? 0;
}

/** Free units as a whole number ≥ 0, however the API or an old snapshot put it. */
export function freeUnits(available: number | null | undefined): number {
  const number = Number(available);
  return Number.isFinite(number) ? Math.max(0, Math.floor(number)) : 0;
}

/** The most that can still be added: what is free minus what the cart already asks for. */
export function maxAddable(available: number, inCart: number): number {
  return Math.max(0, Math.min(freeUnits(available), MAX_QUANTITY) - inCart);
}

/**
 * What a quantity field means: a whole number from 1 to `max`; nothing typed (or not a
 * number) is 1; 0 when nothing may be asked (`max` < 1).
 */
export function clampQuantity(value: number | string, max: number): number {
  const limit = Math.min(Math.floor(max), MAX_QUANTITY);
  if (!(limit >= 1)) {
    return 0;
  }
  const number = typeof value === "string" ? Number(value.trim() === "" ? Number.NaN : value) : value;
  if (!Number.isFinite(number)) {
    return 1;
  }
  return Math.min(limit, Math.max(1, Math.floor(number)));
}

/** The cart's copy of a product read from the API; null when it lacks what an order needs. */
export function cartProductOf(product: Product): CartProduct | null {
  if (!product.id || !product.name) {
    return null;
  }
  return {
    id: product.id,
    name: product.name,
    unit: product.unit ?? "",
    price: Number(product.price ?? 0),
    available: freeUnits(product.stock?.available),
  };
}

/**
 * The cart with `quantity` more of `product`, never beyond what is free (the product's
 * newest reading wins). A new product past MAX_LINES, or nothing free, leaves it as it was.
 */
export function addToCart(lines: readonly CartLine[], product: CartProduct, quantity: number): CartLine[] {
  const index = lines.findIndex((line) => line.product.id === product.id);
  const current = index === -1 ? 0 : lines[index].quantity;
  const wanted = clampQuantity(current + Math.max(0, Math.floor(quantity)), freeUnits(product.available));
  if (wanted === 0 || (index === -1 && lines.length >= MAX_LINES)) {
    return [...lines];
  }
  const line = { product, quantity: wanted };
  if (index === -1) {
    return [...lines, line];
  }
  return [...lines.slice(0, index), line, ...lines.slice(index + 1)];
}

/**
 * The cart with the line of `productId` at `quantity` (at least 1, at most `available`
 * when given — remove a line with removeLine). An absent product leaves the cart as it was.
 */
export function setLineQuantity(
  lines: readonly CartLine[],
  productId: string,
  quantity: number,
  available?: number,
): CartLine[] {
  return lines.map((line) => {
    if (line.product.id !== productId) {
      return line;
    }
    const max = available === undefined ? MAX_QUANTITY : Math.max(1, freeUnits(available));
    return { ...line, quantity: clampQuantity(quantity, max) };
  });
}

export function removeLine(lines: readonly CartLine[], productId: string): CartLine[] {
  return lines.filter((line) => line.product.id !== productId);
}

/** The lines asking for more than was free at the last reading. */
export function linesBeyondStock(lines: readonly CartLine[]): CartLine[] {
  return lines.filter((line) => line.quantity > freeUnits(line.product.available));
}

/** The body of POST /orders for a client ordering for itself (no client_id). */
export function orderBody(lines: readonly CartLine[], notes: string): OrderBody {
  const body: OrderBody = {
    items: lines.map((line) => ({ product_id: line.product.id, quantity: line.quantity })),
  };
  const trimmed = notes.trim();
  if (trimmed !== "") {
    body.notes = trimmed;
  }
  return body;
}

/** The same text for the same order: what decides whether a retry keeps its key. */
export function fingerprint(body: OrderBody): string {
  return JSON.stringify({
    items: body.items.map((item) => [item.product_id, item.quantity]),
    notes: body.notes ?? null,
  });
}

/**
 * The attempt to send `body` with: the stored one when it is for the same body (a retry
 * after a timeout, a 503 or a reload replays instead of ordering twice), else a new key.
 */
export function attemptFor(
  stored: CartAttempt | null,
  body: OrderBody,
  newKey: () => string,
): CartAttempt {
  const print = fingerprint(body);
  if (stored && stored.fingerprint === print) {
    return stored;
  }
  return { key: newKey(), fingerprint: print };
}

/**
 * A fresh Idempotency-Key (UUID v4). `crypto.randomUUID` exists only in secure contexts; over
 * plain HTTP on a shop's network the same 122 random bits come from getRandomValues.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Each line with the product's newest reading (price, free units, name), when there is one. */
export function withLatest(
  lines: readonly CartLine[],
  latest: ReadonlyMap<string, CartProduct>,
): CartLine[] {
  return lines.map((line) => {
    const product = latest.get(line.product.id);
    return product ? { ...line, product } : line;
  });
}
