import { describe, expect, it } from "vitest";

import { API_PREFIX } from "../api/client";
import { imagePath } from "./api";
import {
  STOCK_POLL_MS,
  awaitingStock,
  itemsEditable,
  rejectedShortages,
  stockPollInterval,
  timeline,
  transitionsOf,
} from "./orders";

describe("following the stock's answer", () => {
  it("polls every 1.5 s while awaiting and stops once decided", () => {
    expect(stockPollInterval({ stock_status: "awaiting" })).toBe(STOCK_POLL_MS);
    expect(STOCK_POLL_MS).toBe(1500);
    expect(stockPollInterval({ stock_status: "reserved" })).toBe(false);
    expect(stockPollInterval({ stock_status: "rejected" })).toBe(false);
    expect(stockPollInterval({ stock_status: "not_required" })).toBe(false);
    expect(stockPollInterval(undefined)).toBe(false);
    expect(awaitingStock({ stock_status: "awaiting" })).toBe(true);
  });

  it("reads the stock's shortages only while the order is rejected", () => {
    const shortages = [{ product_id: "p1", product_name: "Arroz", requested: 5, available: 2 }];
    expect(rejectedShortages({ stock_status: "rejected", shortages })).toEqual([
      { productId: "p1", productName: "Arroz", requested: 5, available: 2 },
    ]);
    expect(rejectedShortages({ stock_status: "reserved", shortages })).toEqual([]);
  });
});

describe("what the client may do", () => {
  it("takes the actions from allowed_transitions, never from a lifecycle of its own", () => {
    expect(transitionsOf({ allowed_transitions: ["cancelled"] })).toEqual(["cancelled"]);
    expect(transitionsOf({ allowed_transitions: [] })).toEqual([]);
    expect(transitionsOf({})).toEqual([]);
    expect(transitionsOf({ allowed_transitions: ["approved", "cancelled", "cancelled"] })).toEqual([
      "approved",
      "cancelled",
    ]);
  });

  it("changes lines only while the order is pending", () => {
    expect(itemsEditable({ status: "pending" })).toBe(true);
    expect(itemsEditable({ status: "approved" })).toBe(false);
    expect(itemsEditable(undefined)).toBe(false);
  });
});

describe("the status history", () => {
  it("is shown oldest first", () => {
    const history = [
      { from: "pending", to: "cancelled", at: "2026-05-02T10:00:00Z" },
      { from: null, to: "pending", at: "2026-05-01T09:00:00Z" },
      { from: "cancelled", to: "??", at: undefined },
    ];
    expect(timeline({ status_history: history }).map((entry) => entry.to)).toEqual(["pending", "cancelled", "??"]);
    expect(timeline({})).toEqual([]);
  });
});

describe("product photos", () => {
  it("are read from the image's url under the API prefix", () => {
    expect(imagePath("p1", { id: "i1", url: `${API_PREFIX}/products/p1/images/i1` })).toBe("/products/p1/images/i1");
    expect(imagePath("p1", { id: "i1" })).toBe("/products/p1/images/i1");
    expect(imagePath("p1", {})).toBeNull();
  });
});
