import { describe, expect, it } from "vitest";

import { AWAITING_POLL_MS } from "./api";
import { formatDocument } from "./lookups";
import { pollWhileAwaiting } from "./OrderDetailPage";
import { orderParty } from "./OrdersTable";
import { hasNextPage } from "./Pager";
import type { OrderSummary } from "./types";

const order: OrderSummary = {
  id: "o",
  number: 1,
  type: "sale",
  status: "pending",
  stock_status: "reserved",
  total: 10,
  item_count: 1,
  created_at: "2026-12-07T14:05:00Z",
};

describe("pollWhileAwaiting", () => {
  it("reads the order again only while the stock has not answered", () => {
    expect(pollWhileAwaiting({ stock_status: "awaiting" })).toBe(AWAITING_POLL_MS);
    expect(AWAITING_POLL_MS).toBe(1500);
    for (const decided of ["reserved", "rejected", "not_required"]) {
      expect(pollWhileAwaiting({ stock_status: decided })).toBe(false);
    }
    expect(pollWhileAwaiting(undefined)).toBe(false);
  });
});

describe("orderParty", () => {
  it("is the client, or a replenishment's supplier", () => {
    expect(orderParty({ ...order, client_name: "Escola" })).toBe("Escola");
    expect(
      orderParty({
        ...order,
        type: "replenishment",
        client_name: null,
        items: [{ id: "i", product_id: "p", quantity: 1, unit_price: 1, line_total: 1, supplier_name: "Boa Safra" }],
      }),
    ).toBe("Boa Safra");
    expect(orderParty(order)).toBeNull();
  });
});

describe("hasNextPage", () => {
  it("follows the count when exact, and a full page when the count is an estimate", () => {
    expect(hasNextPage(2, 3, true, 20, 20)).toBe(true);
    expect(hasNextPage(3, 3, true, 20, 20)).toBe(false);
    expect(hasNextPage(50, 50, false, 20, 20)).toBe(true);
    expect(hasNextPage(50, 50, false, 7, 20)).toBe(false);
  });
});

describe("formatDocument", () => {
  it("punctuates a CPF and a CNPJ, and leaves anything else", () => {
    expect(formatDocument("12345678909")).toBe("123.456.789-09");
    expect(formatDocument("12345678000195")).toBe("12.345.678/0001-95");
    expect(formatDocument("123")).toBe("123");
    expect(formatDocument(null)).toBe("");
  });
});
