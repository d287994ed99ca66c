import { describe, expect, it } from "vitest";

import { cartTotalCents, formatCents, toCents } from "../money/cents";
import {
  MAX_LINES,
  MAX_QUANTITY,
  addProduct,
  cartProblem,
  linesBeyondStock,
  linesWithoutQuantity,
  orderRequest,
  parseQuantity,
  productChoice,
  quantityOf,
  removeLine,
  setLineQuantity,
  totalWithLineChange,
  type Cart,
  type ProductChoice,
} from "./cart";

const rice: ProductChoice = { id: "r", name: "Arroz", unit: "pct", price: 27.9, available: 5 };
const milk: ProductChoice = { id: "m", name: "Leite", unit: "l", price: 0.1, available: 100 };

describe("parseQuantity", () => {
  it("takes whole numbers from 1 to the API's maximum", () => {
    expect(parseQuantity("3")).toBe(3);
    expect(parseQuantity(" 12 ")).toBe(12);
    expect(parseQuantity(String(MAX_QUANTITY))).toBe(MAX_QUANTITY);
  });

  it("refuses what the API would refuse, and what is not digits", () => {
    for (const text of ["", "0", "-1", "2.5", "2,5", "abc", "1e3", "0x10", String(MAX_QUANTITY + 1)]) {
      expect(parseQuantity(text), text).toBeNull();
    }
  });
});

describe("the cart", () => {
  it("adds a product once and counts up on each further add", () => {
    let cart: Cart = [];
    cart = addProduct(cart, rice);
    cart = addProduct(cart, milk);
    cart = addProduct(cart, rice);

    expect(cart.map((line) => [line.product.id, line.quantity])).toEqual([
      ["r", 2],
      ["m", 1],
    ]);
  });

  it("keeps a line whose field was emptied, with no quantity, until it is removed", () => {
    const cart = setLineQuantity(addProduct([], rice), "r", null);

    expect(quantityOf(cart, "r")).toBe(0);
    expect(linesWithoutQuantity(cart).map((line) => line.product.id)).toEqual(["r"]);
    expect(removeLine(cart, "r")).toEqual([]);
  });

  it("changes a line in place and caps it at the API's maximum", () => {
    const cart = setLineQuantity(addProduct(addProduct([], rice), milk), "r", 10 ** 9);

    expect(cart.map((line) => line.product.id)).toEqual(["r", "m"]);
    expect(quantityOf(cart, "r")).toBe(MAX_QUANTITY);
    expect(quantityOf(setLineQuantity(cart, "r", 2.5), "r")).toBe(0);
  });

  it("is a product's free stock as listed", () => {
    expect(productChoice({ id: "p", name: "Feijão", unit: "kg", price: 8.5, stock: { available: 7 } })).toEqual({
      id: "p",
      name: "Feijão",
      unit: "kg",
      price: 8.5,
      available: 7,
    });
    expect(productChoice({ id: "p", name: "Feijão", unit: "kg", price: 8.5 }).available).toBe(0);
  });
});

describe("money in cents", () => {
  it("adds tenths of a real without drifting", () => {
    const cart = setLineQuantity(setLineQuantity(addProduct(addProduct([], milk), rice), "m", 3), "r", 2);

    expect(cartTotalCents(cart)).toBe(3 * 10 + 2 * 2790);
    expect(formatCents(cartTotalCents(cart), "pt-BR")).toBe("R$\u00a056,10");
    expect(toCents(0.1 + 0.2)).toBe(30);
  });


  it("shows what a changed line does to the order's total", () => {
    expect(totalWithLineChange(120.73, 9.9, 3, 5)).toEqual({ totalCents: 12073 + 1980, deltaCents: 1980 });
    expect(totalWithLineChange(120.73, 9.9, 5, 1)).toEqual({ totalCents: 12073 - 3960, deltaCents: -3960 });
  });

  it("lists the lines asking for more than was free", () => {
    const cart = setLineQuantity(setLineQuantity(addProduct(addProduct([], rice), milk), "r", 6), "m", 100);

    expect(linesBeyondStock(cart).map((line) => line.product.id)).toEqual(["r"]);
  });
});

describe("cartProblem", () => {
  it("asks for a client, a product and every quantity before sending", () => {
    const cart = addProduct([], rice);
    expect(cartProblem(cart, null)).toBe("noClient");
    expect(cartProblem([], "c1")).toBe("empty");
    expect(cartProblem(setLineQuantity(cart, "r", null), "c1")).toBe("noQuantity");
    expect(cartProblem(cart, "c1")).toBeNull();
  });

  it("stops at the API's 200 lines", () => {
    const many: Cart = Array.from({ length: MAX_LINES + 1 }, (_, index) => ({
      product: { ...rice, id: `p${index}` },
      quantity: 1,
    }));
    expect(cartProblem(many, "c1")).toBe("tooManyLines");
    expect(cartProblem(many.slice(1), "c1")).toBeNull();
  });
});

describe("orderRequest", () => {
  it("sends the client and the lines; notes and the delivery day only when given", () => {
    const cart = setLineQuantity(addProduct([], rice), "r", 2);

    expect(orderRequest(cart, "c1", "  portão lateral ", "2026-12-20")).toEqual({
      client_id: "c1",
      items: [{ product_id: "r", quantity: 2 }],
      notes: "portão lateral",
      desired_delivery_date: "2026-12-20",
    });
    expect(orderRequest(cart, "c1", "   ")).toEqual({ client_id: "c1", items: [{ product_id: "r", quantity: 2 }] });
  });
});
