/**
 * Idempotency-Key of POST /orders: one key per order being written. Sending the same body
 * again (a retry after a timeout, a second click) reuses the key, so the order service replays
 * its first answer instead of creating a second order; a changed body is another order and
 * gets a new key (the same key with another body would be a 409). No React.
 */

/**
 * A fresh key (a UUID v4). `crypto.randomUUID` exists only in secure contexts (HTTPS,
 * localhost); served over plain HTTP on a shop's network the page still works, with the same
 * 122 random bits from `crypto.getRandomValues`.
 */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
  bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A key and the body it was (or will be) sent with; `body` null: not sent yet. */
export interface Attempt {
  key: string;
  body: string | null;
}

export function firstAttempt(makeKey: () => string = newIdempotencyKey): Attempt {
  return { key: makeKey(), body: null };
}

/** JSON with the keys sorted: the same order written twice is the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

/** The attempt for sending `body` now: the same key while the body is the same, else a new one. */
export function attemptFor(previous: Attempt, body: unknown, makeKey: () => string = newIdempotencyKey): Attempt {
  const text = canonicalJson(body);
  if (previous.body === null || previous.body === text) {
    return { key: previous.key, body: text };
  }
  return { key: makeKey(), body: text };
}
