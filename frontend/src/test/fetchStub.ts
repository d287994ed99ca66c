/**
 * The API, stubbed at `fetch` (vi.stubGlobal): each request is recorded as the component sent
 * it, and answered with the gateway's envelope by the first handler that knows it; anything
 * else is a 404. Undo with `vi.unstubAllGlobals()` after each test.
 */
import { vi } from "vitest";

export interface SentRequest {
  method: string;
  /** The path after /api/v1 ("/orders"). */
  path: string;
  /** The query string's values. */
  query: Record<string, string>;
  /** The JSON body, parsed; undefined without one. */
  body: unknown;
  headers: Record<string, string>;
}

export interface Reply {
  status?: number;
  body: unknown;
}

export type Handler = (request: SentRequest) => Reply | undefined;

/** A success envelope (lists add their `meta`). */
export const ok = (data: unknown, meta?: unknown): Reply => ({
  body: { status: "success", message: "ok", data, meta },
});

/** An error envelope: `status` with the message, code, field errors and data the API sends. */
export function refusal(
  status: number,
  message: string,
  extra: { code?: string; errors?: { field: string; message: string }[]; data?: unknown } = {},
): Reply {
  return { status, body: { status: "error", message, code: extra.code ?? "validation_error", ...extra } };
}

/** A handler for one method and path (the path after /api/v1, without the query). */
export function on(method: string, path: string | RegExp, reply: Reply | ((request: SentRequest) => Reply)): Handler {
  return (request) => {
    const matches = typeof path === "string" ? request.path === path : path.test(request.path);
    if (request.method !== method || !matches) {
      return undefined;
    }
    return typeof reply === "function" ? reply(request) : reply;
  };
}

/** Stub `fetch`; the returned list fills with every request sent. */
export function stubFetch(...handlers: Handler[]): SentRequest[] {
  const sent: SentRequest[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
      const url = new URL(String(input));
      const request: SentRequest = {
        method: init.method ?? "GET",
        path: url.pathname.replace(/^\/api\/v1/, ""),
        query: Object.fromEntries(url.searchParams),
        body: typeof init.body === "string" ? JSON.parse(init.body) : init.body,
        headers: { ...(init.headers as Record<string, string> | undefined) },
      };
      sent.push(request);
      const reply = handlers.reduce<Reply | undefined>((found, handler) => found ?? handler(request), undefined) ??
        refusal(404, "Rota não encontrada.", { code: "not_found" });
      return new Response(JSON.stringify(reply.body), {
        status: reply.status ?? 200,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  return sent;
}

/** Whitespace as people read it (Intl puts a no-break space in "R$ 111,60"). */
export const plain = (text: string | null | undefined) => (text ?? "").replace(/\s+/g, " ").trim();
