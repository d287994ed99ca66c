/**
 * The order being written and the lines being changed: quantities and money, with no React.
 * Money is counted in integer cents (../money/cents); the order service computes the real
 * total (with the prices it captures) on its own.
 */
import { lineCents, toCents } from "../money/cents";
import type { OrderCreate, Product } from "./types";

export interface ProductChoice {
  id: string;
  name: string;
  unit: string;
  price: number;
  /** Free stock when the product was listed (`stock.available`). */
  available: number;
}

export interface CartLine {
  product: ProductChoice;
  /** 0 while the field is empty or not a whole number: the line stays, the order waits. */
  quantity: number;
}

export type Cart = readonly CartLine[];

/** Whole units the API accepts on one line (order service: 1..1,000,000). */
export const MAX_QUANTITY = 1_000_000;
/** Lines one order may have (order service MAX_ITEMS_PER_ORDER). */
export const MAX_LINES = 200;

export function productChoice(product: Product): ProductChoice {
  return {
    id: product.id,
    name: product.name,
    unit: product.unit,
    price: product.price,
    available: product.stock?.available ?? 0,
  };
}

/**
 * A quantity as typed: a whole number from 1 to MAX_QUANTITY, or null ("", "2.5", "-1",
 * "abc", "0"). Digits only, so "1e3" and "0x10" are not quantities.
 */
export function parseQuantity(text: string): number | null {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    return null;
  }
  const quantity = Number(trimmed);
  return quantity >= 1 && quantity <= MAX_QUANTITY ? quantity : null;
}

/** The cart with one more unit of `product` (a new line with 1 when it was not there). */
export function addProduct(cart: Cart, product: ProductChoice): Cart {
  const index = cart.findIndex((line) => line.product.id === product.id);
  if (index === -1) {
    return [...cart, { product, quantity: 1 }];
  }
  const line = cart[index];
  const quantity = Math.min(Math.max(line.quantity, 0) + 1, MAX_QUANTITY);
  return [...cart.slice(0, index), { product: line.product, quantity }, ...cart.slice(index + 1)];
}

/** The line of `productId` at `quantity` (null or anything not whole and positive: 0, kept). */
export function setLineQuantity(cart: Cart, productId: string, quantity: number | null): Cart {
  const valid = quantity !== null && Number.isInteger(quantity) && quantity > 0;
  return cart.map((line) =>
    line.product.id === productId
      ? { product: line.product, quantity: valid ? Math.min(quantity, MAX_QUANTITY) : 0 }
      : line,
  );
}

export function removeLine(cart: Cart, productId: string): Cart {
  return cart.filter((line) => line.product.id !== productId);
}

export function quantityOf(cart: Cart, productId: string): number {
  return cart.find((line) => line.product.id === productId)?.quantity ?? 0;
}

/** A changed line's effect on the order's total, in cents: the new total and the difference. */
export function totalWithLineChange(
  orderTotal: number,
  unitPrice: number,
  oldQuantity: number,
  newQuantity: number,
): { totalCents: number; deltaCents: number } {
  const deltaCents = lineCents(unitPrice, newQuantity) - lineCents(unitPrice, oldQuantity);
  return { totalCents: toCents(orderTotal) + deltaCents, deltaCents };
}

/** Lines asking for more than the stock showed as free when the list was loaded. */
export function linesBeyondStock(cart: Cart): CartLine[] {
  return cart.filter((line) => line.quantity > line.product.available);
}

/** Lines whose quantity is not a whole number from 1 up (an empty field). */
export function linesWithoutQuantity(cart: Cart): CartLine[] {
  return cart.filter((line) => line.quantity < 1);
}

/** Why the order cannot be sent yet, or null. */
export function cartProblem(
  cart: Cart,
  clientId: string | null,
): "noClient" | "empty" | "noQuantity" | "tooManyLines" | null {
  if (!clientId) {
    return "noClient";
  }
  if (cart.length === 0) {
    return "empty";
  }
  if (linesWithoutQuantity(cart).length > 0) {
    return "noQuantity";
  }
  return cart.length > MAX_LINES ? "tooManyLines" : null;
}

/** The body of POST /orders (staff order for a client); notes and date only when given. */
export function orderRequest(
  cart: Cart,
  clientId: string,
  notes: string,
  desiredDeliveryDate = "",
): OrderCreate {
  const body: OrderCreate = {
    client_id: clientId,
    items: cart.map((line) => ({ product_id: line.product.id, quantity: line.quantity })),
  };
  if (notes.trim() !== "") {
    body.notes = notes.trim();
  }
  if (desiredDeliveryDate !== "") {
    body.desired_delivery_date = desiredDeliveryDate;
  }
  return body;
}
