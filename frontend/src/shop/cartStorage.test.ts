import { afterEach, describe, expect, it, vi } from "vitest";

import { EMPTY_CART, type CartState } from "./cart";
import {
  cartKey,
  cartSnapshot,
  loadCart,
  parseCart,
  saveCart,
  serializeCart,
  subscribeCart,
} from "./cartStorage";

const rice = { id: "p-rice", name: "Arroz 5 kg", unit: "pct", price: 27.9, available: 10 };
const cart: CartState = {
  lines: [{ product: rice, quantity: 2 }],
  notes: "portão azul",
  attempt: { key: "k-1", fingerprint: "f-1" },
};

/** A Storage that refuses everything, as a browser in private mode may. */
const blocked: Storage = {
  length: 0,
  clear: () => undefined,
  key: () => null,
  getItem: () => {
    throw new Error("blocked");
  },
  setItem: () => {
    throw new Error("blocked");
  },
  removeItem: () => {
    throw new Error("blocked");
  },
};

afterEach(() => {
  window.localStorage.clear();
});

describe("the cart in localStorage", () => {
  it("keeps one cart per user id", () => {
    saveCart(window.localStorage, "user-a", cart);
    expect(loadCart(window.localStorage, "user-a")).toEqual(cart);
    expect(loadCart(window.localStorage, "user-b")).toEqual(EMPTY_CART);
    expect(window.localStorage.getItem(cartKey("user-a"))).not.toBeNull();
    expect(window.localStorage.getItem(cartKey("user-b"))).toBeNull();
  });

  it("survives a reload: what was written is read back", () => {
    saveCart(window.localStorage, "user-a", cart);
    const raw = window.localStorage.getItem(cartKey("user-a"));
    expect(parseCart(raw)).toEqual(cart);
  });

  it("removes the entry when the cart is emptied", () => {
    saveCart(window.localStorage, "user-a", cart);
    saveCart(window.localStorage, "user-a", EMPTY_CART);
    expect(window.localStorage.getItem(cartKey("user-a"))).toBeNull();
  });

  it("reads damaged or foreign data as an empty cart", () => {
    expect(parseCart(null)).toEqual(EMPTY_CART);
    expect(parseCart("{not json")).toEqual(EMPTY_CART);
    expect(parseCart(JSON.stringify({ v: 99, lines: [] }))).toEqual(EMPTY_CART);
    expect(parseCart(JSON.stringify([1, 2]))).toEqual(EMPTY_CART);
  });

  it("drops lines that are not whole, positive and of a known product, and repeated ones", () => {
    const raw = JSON.stringify({
      v: 1,
      notes: 42,
      lines: [
        { product: rice, quantity: 2 },
        { product: rice, quantity: 5 },
        { product: { ...rice, id: "p-2" }, quantity: 0 },
        { product: { ...rice, id: "p-3" }, quantity: 1.5 },
        { product: { ...rice, id: "p-4", price: "caro" }, quantity: 1 },
        { product: { id: "p-5" }, quantity: 1 },
        "lixo",
      ],
      attempt: { key: 1 },
    });
    expect(parseCart(raw)).toEqual({ lines: [{ product: rice, quantity: 2 }], notes: "", attempt: null });
  });

  it("keeps the cart in memory when storage is blocked", () => {
    saveCart(blocked, "user-c", cart);
    expect(loadCart(blocked, "user-c")).toEqual(cart);
    saveCart(blocked, "user-c", EMPTY_CART);
    expect(loadCart(blocked, "user-c")).toEqual(EMPTY_CART);
  });

  it("serialises with a version", () => {
    expect(JSON.parse(serializeCart(cart))).toMatchObject({ v: 1, notes: "portão azul" });
  });
});

describe("the cart store", () => {
  it("gives the same snapshot while nothing changed and a new one after a change", () => {
    saveCart(window.localStorage, "user-a", cart);
    const first = cartSnapshot(window.localStorage, "user-a");
    expect(cartSnapshot(window.localStorage, "user-a")).toBe(first);
    saveCart(window.localStorage, "user-a", { ...cart, notes: "outra" });
    const second = cartSnapshot(window.localStorage, "user-a");
    expect(second).not.toBe(first);
    expect(second.notes).toBe("outra");
  });

  it("tells subscribers about changes here and in other tabs, until they leave", () => {
    const listener = vi.fn();
    const unsubscribe = subscribeCart(listener);
    saveCart(window.localStorage, "user-a", cart);
    expect(listener).toHaveBeenCalledTimes(1);
    window.dispatchEvent(new StorageEvent("storage", { key: cartKey("user-a") }));
    expect(listener).toHaveBeenCalledTimes(2);
    window.dispatchEvent(new StorageEvent("storage", { key: "pedidos.language" }));
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    saveCart(window.localStorage, "user-a", EMPTY_CART);
    window.dispatchEvent(new StorageEvent("storage", { key: cartKey("user-a") }));
    expect(listener).toHaveBeenCalledTimes(2);
  });
});
