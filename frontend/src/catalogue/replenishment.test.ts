import { describe, expect, it } from "vitest";

import { differsFromPlan, expectedQuantity, lowStockRequest, summarise, whyNothing } from "./replenishment";
import type { PlannedLine, Replenishment } from "./types";

function line(product: string, available: number, ideal: number, price: number): PlannedLine {
  const quantity = ideal - available;
  return {
    product_id: product,
    name: product,
    available,
    ideal_quantity: ideal,
    quantity,
    unit_price: price,
    line_total: Math.round(quantity * price * 100) / 100,
  };
}

function plan(changes: Partial<Replenishment> = {}): Replenishment {
  return {
    simulated: true,
    threshold_percent: 20,
    section: null,
    total_analyzed: 120,
    low_stock_items: 0,
    orders_created: 0,
    details: [],
    already_on_open_orders: [],
    not_processed: [],
    total_value: 0,
    ...changes,
  };
}

const RICE = line("arroz", 12, 80, 27.9); // 68 × 27,90 = 1.897,20
const BEANS = line("feijao", 3, 40, 8.1); // 37 × 8,10 = 299,70
const OIL = line("oleo", 0, 10, 0.1); // 10 × 0,10 = 1,00

const TWO_SUPPLIERS = plan({
  low_stock_items: 4,
  details: [
    { order_id: null, number: null, supplier_id: "s-1", supplier_name: "Boa Safra", items: [RICE, BEANS], total: 2196.9 },
    { order_id: null, number: null, supplier_id: "s-2", supplier_name: "Óleos do Sul", items: [OIL], total: 1 },
  ],
  not_processed: [{ product_id: "sal", name: "Sal", reason: "Produto sem fornecedor." }],
  total_value: 2197.9,
});

describe("lowStockRequest", () => {
  it("is 20 % and every section by default", () => {
    expect(lowStockRequest({ threshold: "", section: " " }, true)).toEqual({
      ok: true,
      body: { threshold_percent: 20, section: null, simulate: true },
    });
  });

  it("sends the threshold and the section as typed, for real when confirmed", () => {
    expect(lowStockRequest({ threshold: "35", section: " Mercearia " }, false)).toEqual({
      ok: true,
      body: { threshold_percent: 35, section: "Mercearia", simulate: false },
    });
  });

  it("refuses a threshold outside 1–100 or not whole", () => {
    for (const threshold of ["0", "101", "2.5", "-5", "vinte"]) {
      expect(lowStockRequest({ threshold, section: "" }, true)).toEqual({ ok: false, problem: "threshold" });
    }
  });
});

describe("summarise", () => {
  it("adds up orders, lines, units and value per supplier and overall, in cents", () => {
    const summary = summarise(TWO_SUPPLIERS);
    expect(summary).toMatchObject({ orders: 2, lines: 3, units: 115, value: 2197.9, totalMatches: true });
    expect(summary.perSupplier).toEqual([
      { supplierId: "s-1", lines: 2, units: 105, value: 2196.9 },
      { supplierId: "s-2", lines: 1, units: 10, value: 1 },
    ]);
    expect(summary.unexpectedLines).toEqual([]);
  });

  it("does not drift with money that floats cannot hold (0.1 + 0.2)", () => {
    const cents = plan({
      details: [
        {
          order_id: null,
          number: null,
          supplier_id: "s-1",
          supplier_name: "A",
          items: [line("a", 0, 1, 0.1), line("b", 0, 1, 0.2)],
          total: 0.3,
        },
      ],
      total_value: 0.3,
    });
    expect(summarise(cents)).toMatchObject({ value: 0.3, totalMatches: true });
  });

  it("flags a line that does not ask for ideal − available", () => {
    const odd = { ...RICE, quantity: 50 };
    const summary = summarise(plan({ details: [{ ...TWO_SUPPLIERS.details[0], items: [odd] }] }));
    expect(summary.unexpectedLines).toEqual(["arroz"]);
    expect(expectedQuantity(RICE)).toBe(68);
    expect(expectedQuantity({ ideal_quantity: 10, available: 12 })).toBe(0);
  });

  it("notices a total that is not the sum of the lines", () => {
    expect(summarise({ ...TWO_SUPPLIERS, total_value: 2197.89 }).totalMatches).toBe(false);
  });

  it("is all zeros for an empty plan", () => {
    expect(summarise(plan())).toMatchObject({ orders: 0, lines: 0, units: 0, value: 0, totalMatches: true });
  });
});

describe("whyNothing", () => {
  it("is null when orders were planned or created", () => {
    expect(whyNothing(TWO_SUPPLIERS)).toBeNull();
  });

  it("says nothing was below the threshold", () => {
    expect(whyNothing(plan())).toBe("none_low");
  });

  it("says everything low is already on an open replenishment order", () => {
    const open = plan({
      low_stock_items: 1,
      already_on_open_orders: [{ product_id: "arroz", name: "Arroz", order_id: "o-1", number: 1200 }],
    });
    expect(whyNothing(open)).toBe("all_open");
  });

  it("says the low products could not be ordered, or both", () => {
    const refused = plan({ low_stock_items: 1, not_processed: [{ product_id: "sal", name: "Sal", reason: "Sem fornecedor." }] });
    expect(whyNothing(refused)).toBe("not_processable");
    expect(
      whyNothing({
        ...refused,
        low_stock_items: 2,
        already_on_open_orders: [{ product_id: "arroz", name: "Arroz", order_id: "o-1", number: 1200 }],
      }),
    ).toBe("mixed");
  });
});

describe("differsFromPlan", () => {
  it("is false when the real run ordered what was reviewed", () => {
    const created = {
      ...TWO_SUPPLIERS,
      simulated: false,
      orders_created: 2,
      details: TWO_SUPPLIERS.details.map((order, index) => ({ ...order, order_id: `o-${index}`, number: 1200 + index })),
    };
    expect(differsFromPlan(TWO_SUPPLIERS, created)).toBe(false);
  });

  it("is true when stock moved between the review and the confirmation", () => {
    const moved = { ...TWO_SUPPLIERS, details: [TWO_SUPPLIERS.details[0]] };
    expect(differsFromPlan(TWO_SUPPLIERS, moved)).toBe(true);
  });
});
