import { describe, expect, it } from "vitest";

import { attemptFor, canonicalJson, firstAttempt, newIdempotencyKey } from "./idempotency";

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("newIdempotencyKey", () => {
  it("is a fresh UUID v4 each time", () => {
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    keys.forEach((key) => expect(key).toMatch(UUID_V4));
  });

  it("still works where crypto.randomUUID is missing (plain HTTP)", () => {
    const original = crypto.randomUUID;
    Object.defineProperty(crypto, "randomUUID", { value: undefined, configurable: true });
    try {
      expect(newIdempotencyKey()).toMatch(UUID_V4);
    } finally {
      Object.defineProperty(crypto, "randomUUID", { value: original, configurable: true });
    }
  });
});

describe("attemptFor", () => {
  const counter = () => {
    let next = 0;
    return () => `key-${++next}`;
  };
  const body = { client_id: "c1", items: [{ product_id: "p", quantity: 2 }] };

  it("sends the first order with the key made when the page opened", () => {
    const make = counter();
    const first = firstAttempt(make);
    expect(attemptFor(first, body, make)).toEqual({ key: "key-1", body: canonicalJson(body) });
  });

  it("reuses the key for the same order sent again (a retry never makes a second order)", () => {
    const make = counter();
    const sent = attemptFor(firstAttempt(make), body, make);
    const again = attemptFor(sent, { items: [{ quantity: 2, product_id: "p" }], client_id: "c1" }, make);
    expect(again.key).toBe("key-1");
  });

  it("makes a new key once the order changed (the same key with another body is a 409)", () => {
    const make = counter();
    const sent = attemptFor(firstAttempt(make), body, make);
    const changed = attemptFor(sent, { ...body, items: [{ product_id: "p", quantity: 3 }] }, make);
    expect(changed.key).toBe("key-2");
    expect(attemptFor(changed, body, make).key).toBe("key-3");
  });
});

describe("canonicalJson", () => {
  it("does not depend on the order of the keys", () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: [{ y: 1, x: 2 }] } })).toBe('{"a":{"c":[{"x":2,"y":1}],"d":2},"b":1}');
  });
});
