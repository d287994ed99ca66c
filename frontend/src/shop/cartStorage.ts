/**
 * The cart in localStorage, one per user id (a shared computer never shows one customer's
 * cart to another), surviving reloads. A store React reads with useSyncExternalStore: every
 * component showing the cart (the badge, the catalogue, the cart page) sees each change, and
 * another tab's changes arrive through the `storage` event.
 */

import {
  EMPTY_CART,
  MAX_LINES,
  MAX_NOTES,
  MAX_QUANTITY,
  type CartAttempt,
  type CartLine,
  type CartState,
} from "./cart";

export const CART_KEY_PREFIX = "pedidos.shop.cart.";
const VERSION = 1;

export function cartKey(userId: string): string {
  return `${CART_KEY_PREFIX}${userId}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readLine(value: unknown): CartLine | null {
  if (!isRecord(value) || !isRecord(value.product)) {
    return null;
  }
  const { product, quantity } = value;
  const { id, name, unit, price, available } = product;
  if (
    typeof id !== "string" ||
    id === "" ||
    typeof name !== "string" ||
    typeof price !== "number" ||
    !Number.isFinite(price) ||
    typeof quantity !== "number" ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > MAX_QUANTITY
  ) {
    return null;
  }
  return {
    product: {
      id,
      name,
      unit: typeof unit === "string" ? unit : "",
      price,
      available: typeof available === "number" && Number.isFinite(available) ? available : 0,
    },
    quantity,
  };
}

function readAttempt(value: unknown): CartAttempt | null {
  if (isRecord(value) && typeof value.key === "string" && typeof value.fingerprint === "string") {
    return { key: value.key, fingerprint: value.fingerprint };
  }
  return null;
}

/** The cart a stored text holds; anything unreadable (or another version) is an empty cart. */
export function parseCart(raw: string | null): CartState {
  if (raw === null || raw === "") {
    return EMPTY_CART;
  }
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return EMPTY_CART;
  }
  if (!isRecord(value) || value.v !== VERSION || !Array.isArray(value.lines)) {
    return EMPTY_CART;
  }
  const seen = new Set<string>();
  const lines: CartLine[] = [];
  for (const item of value.lines) {
    const line = readLine(item);
    if (line && !seen.has(line.product.id) && lines.length < MAX_LINES) {
      seen.add(line.product.id);
      lines.push(line);
    }
  }
  return {
    lines,
    notes: typeof value.notes === "string" ? value.notes.slice(0, MAX_NOTES) : "",
    attempt: readAttempt(value.attempt),
  };
}

export function serializeCart(cart: CartState): string {
  return JSON.stringify({ v: VERSION, lines: cart.lines, notes: cart.notes, attempt: cart.attempt });
}

function isEmpty(cart: CartState): boolean {
  return cart.lines.length === 0 && cart.notes === "" && cart.attempt === null;
}

/** localStorage, or null when the browser blocks it (the cart then lasts until reload). */
export function browserStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Carts kept in memory when storage is blocked or full. */
const memory = new Map<string, string>();

function readRaw(storage: Storage | null, key: string): string | null {
  try {
    const stored = storage?.getItem(key);
    if (stored !== null && stored !== undefined) {
      return stored;
    }
  } catch {
    // blocked: the memory copy
  }
  return memory.get(key) ?? null;
}

/** The user's cart as stored. */
export function loadCart(storage: Storage | null, userId: string): CartState {
  return parseCart(readRaw(storage, cartKey(userId)));
}

/** Keep the user's cart (an empty one removes the entry) and tell whoever shows it. */
export function saveCart(storage: Storage | null, userId: string, cart: CartState): void {
  const key = cartKey(userId);
  const raw = isEmpty(cart) ? null : serializeCart(cart);
  try {
    if (!storage) {
      throw new Error("no storage");
    }
    if (raw === null) {
      storage.removeItem(key);
    } else {
      storage.setItem(key, raw);
    }
    memory.delete(key);
  } catch {
    if (raw === null) {
      memory.delete(key);
    } else {
      memory.set(key, raw);
    }
  }
  notify();
}

// -- the store ---------------------------------------------------------------------------

const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) {
    listener();
  }
}

/** useSyncExternalStore's subscribe: changes made here, and in other tabs. */
export function subscribeCart(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key.startsWith(CART_KEY_PREFIX)) {
      listener();
    }
  };
  window.addEventListener("storage", onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener("storage", onStorage);
  };
}

const snapshots = new Map<string, { raw: string | null; cart: CartState }>();

/**
 * useSyncExternalStore's getSnapshot: the same object while the stored text is the same
 * (a new object on every call would render forever).
 */
export function cartSnapshot(storage: Storage | null, userId: string): CartState {
  const key = cartKey(userId);
  const raw = readRaw(storage, key);
  const cached = snapshots.get(key);
  if (cached && cached.raw === raw) {
    return cached.cart;
  }
  const cart = parseCart(raw);
  snapshots.set(key, { raw, cart });
  return cart;
}
