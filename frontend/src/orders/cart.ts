/**
 * The order being written: one line per product, quantities and the total, with no React.
 * Money is counted in integer cents so that 0.1 + 0.2 never shows as 0.30000000000000004;
 * the order service computes the real total (with the prices of the moment) on its own.
 */

export interface ProductChoice {
  id: string;
  name: string;
  unit: string;
  price: number;
  available: number;
}

export interface CartLine {
  product: ProductChoice;
  quantity: number;
}

export type Cart = readonly CartLine[];

/** Whole units the API accepts on one line (order service: 1..1,000,000). */
export const MAX_QUANTITY = 1_000_000;

/** The cart with `product` at `quantity`; 0 (or anything not a whole positive number) removes it. */
export function setQuantity(cart: Cart, product: ProductChoice, quantity: number): Cart {
  const others = cart.filter((line) => line.product.id !== product.id);
  if (!Number.isInteger(quantity) || quantity <= 0) {
    return others;
  }
  const line = { product, quantity: Math.min(quantity, MAX_QUANTITY) };
  const index = cart.findIndex((existing) => existing.product.id === product.id);
  if (index === -1) {
    return [...others, line];
  }
  return [...cart.slice(0, index), line, ...cart.slice(index + 1)];
}

export function quantityOf(cart: Cart, productId: string): number {
  return cart.find((line) => line.product.id === productId)?.quantity ?? 0;
}

export function toCents(price: number): number {
  return Math.round(price * 100);
}

export function lineTotalCents(line: CartLine): number {
  return toCents(line.product.price) * line.quantity;
}

export function cartTotalCents(cart: Cart): number {
  return cart.reduce((sum, line) => sum + lineTotalCents(line), 0);
}

/** Lines asking for more than the stock showed as free when the list was loaded. */
export function linesBeyondStock(cart: Cart): CartLine[] {
  return cart.filter((line) => line.quantity > line.product.available);
}

const BRL = new Intl.NumberFormat("pt-BR", { style: "currency", currency: "BRL" });

export function formatCents(cents: number): string {
  return BRL.format(cents / 100);
}

export function formatMoney(value: number): string {
  return formatCents(toCents(value));
}

export interface OrderRequest {
  client_id?: string;
  items: { product_id: string; quantity: number }[];
  notes?: string;
}

/** The body of POST /orders; `clientId` is left out for a client ordering for itself. */
export function orderRequest(cart: Cart, clientId: string | null, notes: string): OrderRequest {
  const body: OrderRequest = {
    items: cart.map((line) => ({ product_id: line.product.id, quantity: line.quantity })),
  };
  if (clientId) {
    body.client_id = clientId;
  }
  if (notes.trim() !== "") {
    body.notes = notes.trim();
  }
  return body;
}
