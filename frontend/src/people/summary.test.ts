import { describe, expect, it } from "vitest";

import { statusChangeBody } from "./api";
import { averageTicket, statusCounts, topProduct } from "./summary";

describe("averageTicket", () => {
  it("is the value divided by the orders, to the cent", () => {
    expect(averageTicket({ total_orders: 3, total_value: 100 })).toBe(33.33);
    expect(averageTicket({ total_orders: 2, total_value: 1098.5 })).toBe(549.25);
  });

  it("is null without orders", () => {
    expect(averageTicket({ total_orders: 0, total_value: 0 })).toBeNull();
    expect(averageTicket(undefined)).toBeNull();
  });
});

describe("statusCounts", () => {
  it("lists the statuses in lifecycle order, zeros included, unknown ones last", () => {
    const counts = statusCounts({
      by_status: { delivered: 2, pending: 1, cancelled: 0, approved: 0, on_hold: 4 },
    });
    expect(counts.map((count) => count.status)).toEqual(["pending", "approved", "delivered", "cancelled", "on_hold"]);
    expect(counts[2]).toEqual({ status: "delivered", count: 2 });
  });
});

describe("topProduct", () => {
  it("is the product when the API names one, null otherwise", () => {
    const top = { product_id: "p-1", name: "Arroz 5 kg", orders: 4, quantity: 12 };
    expect(topProduct({ top_product: top })).toEqual(top);
    expect(topProduct({ top_product: null })).toBeNull();
    expect(topProduct({ top_product: {} })).toBeNull();
    expect(topProduct(undefined)).toBeNull();
  });
});

describe("statusChangeBody", () => {
  it("sends the status and a note only when one was written", () => {
    expect(statusChangeBody("shipped", "  NF 123, transportadora X ")).toEqual({
      status: "shipped",
      note: "NF 123, transportadora X",
    });
    expect(statusChangeBody("delivered", "   ")).toEqual({ status: "delivered" });
  });
});
