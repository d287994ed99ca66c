import { describe, expect, it } from "vitest";

import {
  MAX_LINES,
  addToCart,
  attemptFor,
  cartProductOf,
  clampQuantity,
  fingerprint,
  freeUnits,
  itemCount,
  linesBeyondStock,
  maxAddable,
  newIdempotencyKey,
  orderBody,
  quantityInCart,
  removeLine,
  setLineQuantity,
  withLatest,
  type CartProduct,
} from "./cart";

const rice: CartProduct = { id: "p-rice", name: "Arroz 5 kg", unit: "pct", price: 27.9, available: 10 };
const beans: CartProduct = { id: "p-beans", name: "Feijão 1 kg", unit: "pct", price: 0.1, available: 100 };

describe("quantities", () => {
  it("counts products for the badge", () => {
    expect(itemCount([])).toBe(0);
    expect(itemCount([{ product: rice, quantity: 4 }, { product: beans, quantity: 1 }])).toBe(2);
  });

  it("reads free units as a whole number ≥ 0", () => {
    expect(freeUnits(5)).toBe(5);
    expect(freeUnits(-2)).toBe(0);
    expect(freeUnits(undefined)).toBe(0);
    expect(freeUnits(2.7)).toBe(2);
  });

  it("never lets more be added than is free beyond the cart", () => {
    expect(maxAddable(10, 0)).toBe(10);
    expect(maxAddable(10, 7)).toBe(3);
    expect(maxAddable(10, 12)).toBe(0);
    expect(maxAddable(0, 0)).toBe(0);
  });

  it("clamps a typed quantity to 1..max", () => {
    expect(clampQuantity("4", 10)).toBe(4);
    expect(clampQuantity("40", 10)).toBe(10);
    expect(clampQuantity("0", 10)).toBe(1);
    expect(clampQuantity("-3", 10)).toBe(1);
    expect(clampQuantity("", 10)).toBe(1);
    expect(clampQuantity("2.8", 10)).toBe(2);
    expect(clampQuantity("abc", 10)).toBe(1);
    expect(clampQuantity(5, 0)).toBe(0);
  });
});

describe("the cart's lines", () => {
  it("adds a product, then more of it, never beyond what is free", () => {
    let lines = addToCart([], rice, 4);
    expect(lines).toEqual([{ product: rice, quantity: 4 }]);
    lines = addToCart(lines, rice, 3);
    expect(quantityInCart(lines, rice.id)).toBe(7);
    lines = addToCart(lines, rice, 50);
    expect(quantityInCart(lines, rice.id)).toBe(10);
  });

  it("keeps the order of the lines and takes the newest reading of the product", () => {
    let lines = addToCart(addToCart([], rice, 1), beans, 1);
    const cheaper = { ...rice, price: 25, available: 2 };
    lines = addToCart(lines, cheaper, 5);
    expect(lines.map((line) => line.product.id)).toEqual([rice.id, beans.id]);
    expect(lines[0]).toEqual({ product: cheaper, quantity: 2 });
  });

  it("adds nothing when nothing is free", () => {
    expect(addToCart([], { ...rice, available: 0 }, 1)).toEqual([]);
  });

  it("refuses a new product beyond the order's line limit", () => {
    const full = Array.from({ length: MAX_LINES }, (_, index) => ({
      product: { ...beans, id: `p-${index}` },
      quantity: 1,
    }));
    expect(addToCart(full, rice, 1)).toHaveLength(MAX_LINES);
    expect(quantityInCart(addToCart(full, { ...beans, id: "p-0" }, 1), "p-0")).toBe(2);
  });

  it("sets a line's quantity within 1..available and removes lines", () => {
    const lines = [
      { product: rice, quantity: 2 },
      { product: beans, quantity: 1 },
    ];
    expect(setLineQuantity(lines, rice.id, 8, rice.available)[0].quantity).toBe(8);
    expect(setLineQuantity(lines, rice.id, 80, rice.available)[0].quantity).toBe(10);
    expect(setLineQuantity(lines, rice.id, 0, rice.available)[0].quantity).toBe(1);
    expect(setLineQuantity(lines, "missing", 3)).toEqual(lines);
    expect(removeLine(lines, rice.id)).toEqual([{ product: beans, quantity: 1 }]);
  });

  it("finds the lines beyond the stock read last", () => {
    const lines = [
      { product: { ...rice, available: 2 }, quantity: 3 },
      { product: beans, quantity: 1 },
    ];
    expect(linesBeyondStock(lines).map((line) => line.product.id)).toEqual([rice.id]);
  });

  it("refreshes lines with the newest reading of their products", () => {
    const lines = [
      { product: rice, quantity: 2 },
      { product: beans, quantity: 1 },
    ];
    const latest = new Map([[rice.id, { ...rice, price: 30, available: 1 }]]);
    const fresh = withLatest(lines, latest);
    expect(fresh[0]).toEqual({ product: { ...rice, price: 30, available: 1 }, quantity: 2 });
    expect(fresh[1]).toBe(lines[1]);
  });

  it("copies an API product into the cart", () => {
    expect(
      cartProductOf({ id: "p1", name: "Arroz", unit: "kg", price: 5.5, stock: { available: 12, on_hand: 15, reserved: 3 } }),
    ).toEqual({ id: "p1", name: "Arroz", unit: "kg", price: 5.5, available: 12 });
    expect(cartProductOf({ id: "p1", name: "Sem estoque" })).toEqual({
      id: "p1",
      name: "Sem estoque",
      unit: "",
      price: 0,
      available: 0,
    });
    expect(cartProductOf({ name: "sem id" })).toBeNull();
  });
});

describe("the order's body and its Idempotency-Key", () => {
  const lines = [
    { product: rice, quantity: 2 },
    { product: beans, quantity: 5 },
  ];

  it("leaves client_id out (a client orders for itself) and blank notes out", () => {
    expect(orderBody(lines, "  ")).toEqual({
      items: [
        { product_id: rice.id, quantity: 2 },
        { product_id: beans.id, quantity: 5 },
      ],
    });
    expect(orderBody(lines, " entregar cedo ").notes).toBe("entregar cedo");
    expect("client_id" in orderBody(lines, "")).toBe(false);
  });

  it("keeps the key for a retry of the same cart and changes it for a different one", () => {
    let made = 0;
    const newKey = () => `key-${++made}`;
    const first = attemptFor(null, orderBody(lines, ""), newKey);
    expect(first.key).toBe("key-1");
    // A timeout, a 503, a reload: the same cart sends the same key.
    expect(attemptFor(first, orderBody(lines, ""), newKey)).toBe(first);
    // Another quantity or other notes are another order.
    const changed = attemptFor(first, orderBody(setLineQuantity(lines, rice.id, 3), ""), newKey);
    expect(changed.key).toBe("key-2");
    expect(attemptFor(first, orderBody(lines, "urgente"), newKey).key).toBe("key-3");
  });

  it("fingerprints the body as sent", () => {
    expect(fingerprint(orderBody(lines, ""))).toBe(fingerprint(orderBody([...lines], "")));
    expect(fingerprint(orderBody(lines, ""))).not.toBe(fingerprint(orderBody([...lines].reverse(), "")));
  });

  it("makes UUID v4 keys", () => {
    const key = newIdempotencyKey();
    expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(key);
  });
});
