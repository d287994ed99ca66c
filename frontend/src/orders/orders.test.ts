import { describe, expect, it } from "vitest";

import { newIdempotencyKey, statusActions } from "./orders";

const staff = { role: "staff" };
const labels = (...args: Parameters<typeof statusActions>) =>
  statusActions(...args).map((action) => action.status);

describe("statusActions", () => {
  it("lets staff approve only once the stock is reserved, and cancel until shipped", () => {
    expect(labels({ status: "pending", stock_status: "awaiting", client_id: "c" }, staff)).toEqual([
      "cancelled",
    ]);
    expect(labels({ status: "pending", stock_status: "reserved", client_id: "c" }, staff)).toEqual([
      "approved",
      "cancelled",
    ]);
    expect(labels({ status: "pending", stock_status: "not_required", client_id: null }, staff)).toEqual([
      "approved",
      "cancelled",
    ]);
    expect(labels({ status: "processing", stock_status: "reserved", client_id: "c" }, staff)).toEqual([
      "shipped",
      "cancelled",
    ]);
    expect(labels({ status: "delivered", stock_status: "reserved", client_id: "c" }, staff)).toEqual([
      "returned",
    ]);
    expect(labels({ status: "cancelled", stock_status: "reserved", client_id: "c" }, staff)).toEqual([]);
  });

  it("lets a client cancel only its own pending order", () => {
    const client = { role: "client", client_id: "mine" };
    expect(labels({ status: "pending", stock_status: "reserved", client_id: "mine" }, client)).toEqual([
      "cancelled",
    ]);
    expect(labels({ status: "pending", stock_status: "reserved", client_id: "other" }, client)).toEqual(
      [],
    );
    expect(labels({ status: "approved", stock_status: "reserved", client_id: "mine" }, client)).toEqual(
      [],
    );
  });

  it("lets a supplier move forward only the approved orders addressed to it", () => {
    const supplier = { role: "supplier", supplier_id: "s1" };
    const addressed = { stock_status: "not_required", client_id: null, supplier_id: "s1" };
    expect(labels({ ...addressed, status: "approved" }, supplier)).toEqual(["processing"]);
    expect(labels({ ...addressed, status: "pending" }, supplier)).toEqual([]);
    expect(labels({ ...addressed, status: "approved", supplier_id: "s2" }, supplier)).toEqual([]);
  });
});

describe("newIdempotencyKey", () => {
  const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

  it("is a fresh UUID v4 each time", () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    keys.forEach((key) => expect(key).toMatch(UUID_V4));
  });

  it("still works where crypto.randomUUID is missing (plain HTTP)", () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      expect(crypto.randomUUID).toBeUndefined();
      expect(newIdempotencyKey()).toMatch(UUID_V4);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true });
    }
    expect(typeof crypto.randomUUID).toBe("function");
  });
});
