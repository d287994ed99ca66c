import { describe, expect, it } from "vitest";

import { cartTotalCents, formatCents, lineCents, lineTotalCents, toCents, type PricedLine } from "./cents";

const rice = { price: 27.9 };
const beans = { price: 0.1 };
const oil = { price: 0.2 };

describe("money in cents", () => {
  it("turns reais into whole cents whatever the float noise", () => {
    expect(toCents(27.9)).toBe(2790);
    expect(toCents("27.90")).toBe(2790);
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(toCents(1.005 * 1000)).toBe(100500);
    expect(toCents(null)).toBe(0);
    expect(toCents("abc")).toBe(0);
  });

  it("adds lines without floating-point drift", () => {
    const lines: PricedLine[] = [
      { product: beans, quantity: 1 },
      { product: oil, quantity: 1 },
    ];
    // 0.1 + 0.2 in floats is 0.30000000000000004; in cents it is 30.
    expect(cartTotalCents(lines)).toBe(30);
    expect(lineTotalCents({ product: rice, quantity: 3 })).toBe(8370);
    expect(cartTotalCents([...lines, { product: rice, quantity: 3 }])).toBe(8400);
    expect(cartTotalCents([])).toBe(0);
  });

  it("stays exact over many small lines", () => {
    const lines = Array.from({ length: 10 }, () => ({ product: { ...beans }, quantity: 1 }));
    expect(cartTotalCents(lines)).toBe(100);
  });

  it("computes a line as the unit price in cents times the quantity", () => {
    expect(lineCents(19.99, 3)).toBe(5997);
    expect(lineCents(1.005, 1000)).toBe(toCents(1.005) * 1000);
  });

  it("shows cents as reais in the chosen language", () => {
    expect(formatCents(5610, "pt-BR")).toBe("R$\u00a056,10");
    expect(formatCents(toCents(0.1 + 0.2), "pt-BR")).toBe("R$\u00a00,30");
  });
});
