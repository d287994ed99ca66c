import { describe, expect, it } from "vitest";

import {
  MAX_QUANTITY,
  cartTotalCents,
  formatCents,
  linesBeyondStock,
  orderRequest,
  quantityOf,
  setQuantity,
  type Cart,
  type ProductChoice,
} from "./cart";

const rice: ProductChoice = { id: "r", name: "Arroz", unit: "pct", price: 27.9, available: 5 };
const milk: ProductChoice = { id: "m", name: "Leite", unit: "l", price: 0.1, available: 100 };

describe("setQuantity", () => {
  it("adds, changes in place and removes lines", () => {
    let cart: Cart = [];
    cart = setQuantity(cart, rice, 2);
    cart = setQuantity(cart, milk, 3);
    cart = setQuantity(cart, rice, 4);

    expect(cart.map((line) => [line.product.id, line.quantity])).toEqual([
      ["r", 4],
      ["m", 3],
    ]);
    expect(setQuantity(cart, rice, 0).map((line) => line.product.id)).toEqual(["m"]);
  });

  it("ignores what is not a whole positive number and caps at the API's maximum", () => {
    expect(setQuantity([], rice, 1.5)).toEqual([]);
    expect(setQuantity([], rice, Number.NaN)).toEqual([]);
    expect(setQuantity([], rice, -3)).toEqual([]);
    expect(quantityOf(setQuantity([], rice, 10 ** 9), "r")).toBe(MAX_QUANTITY);
  });
});

describe("totals", () => {
  it("adds money in cents, so tenths of a real never drift", () => {
    const cart = setQuantity(setQuantity([], milk, 3), rice, 2);

    expect(cartTotalCents(cart)).toBe(3 * 10 + 2 * 2790);
    expect(formatCents(cartTotalCents(cart))).toBe("R$\u00a056,10");
  });

  it("lists the lines asking for more than was free", () => {
    const cart = setQuantity(setQuantity([], rice, 6), milk, 100);

    expect(linesBeyondStock(cart).map((line) => line.product.id)).toEqual(["r"]);
  });
});

describe("orderRequest", () => {
  it("sends the client only when one was chosen, and notes only when written", () => {
    const cart = setQuantity([], rice, 2);

    expect(orderRequest(cart, "c1", "  portão lateral ")).toEqual({
      client_id: "c1",
      items: [{ product_id: "r", quantity: 2 }],
      notes: "portão lateral",
    });
    expect(orderRequest(cart, null, "   ")).toEqual({ items: [{ product_id: "r", quantity: 2 }] });
  });
});
