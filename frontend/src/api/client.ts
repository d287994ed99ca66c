/** The only way the app talks to the API: the gateway's envelope in, typed data or ApiError out. */

import i18next from "i18next";

export const DEFAULT_API_URL = "http://127.0.0.1:5000";

/** The language the API should answer in (Accept-Language): the app's, set by src/i18n. */
export const requestLanguage = { current: "pt-BR" };
export const API_PREFIX = "/api/v1";

export interface FieldError {
  field: string;
  message: string;
}

/** A request that did not succeed, carrying what the user should read (`message`). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: FieldError[];
  readonly requestId: string | null;
  /** The envelope's `data`, when an error response still carries some (e.g. a 503 health). */
  readonly data: unknown;

  constructor(
    message: string,
    details: {
      status: number;
      code: string;
      errors?: FieldError[];
      requestId?: string | null;
      data?: unknown;
    },
  ) {
    super(message);
    this.name = "ApiError";
    this.status = details.status;
    this.code = details.code;
    this.errors = details.errors ?? [];
    this.requestId = details.requestId ?? null;
    this.data = details.data;
  }
}

/** Our own message when the server cannot be reached, in the app's language. */
export function networkErrorMessage(): string {
  return i18next.t("common:networkError");
}

export function unexpectedResponseMessage(status: number): string {
  return i18next.t("common:unexpectedResponse", { status });
}

/**
 * TanStack Query's `retry`, the app's default: once more after a network error or a 5xx,
 * never after a refusal (a 4xx would only come back the same, later).
 */
export function retryUnlessRefused(failures: number, error: unknown): boolean {
  const refused = error instanceof ApiError && error.status >= 400 && error.status < 500;
  return !refused && failures < 1;
}

/** `undefined` means "not configured" (use the default); an empty string means "same origin". */
export function resolveApiUrl(configured: string | undefined): string {
  if (configured === undefined) {
    return DEFAULT_API_URL;
  }
  return configured.trim().replace(/\/+$/, "");
}

/** One page of a list (SPEC: every list is paginated; `meta` in the envelope). */
export interface Page<T> {
  items: T[];
  page: number;
  pages: number;
  total: number;
  /** False when `total` is the database's estimate (past 1,000 matches). */
  totalExact: boolean;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  /** The access token, sent as `Authorization: Bearer <token>`. */
  token?: string | null;
  /** Extra request headers, e.g. `Idempotency-Key`. */
  headers?: Record<string, string>;
  /** A body sent as is (a file), with its own Content-Type, instead of JSON. */
  rawBody?: Blob;
  signal?: AbortSignal;
}

type Fetch = typeof fetch;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function readFieldErrors(value: unknown): FieldError[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.filter(isRecord).map((item) => ({
    field: typeof item.field === "string" ? item.field : "",
    message: typeof item.message === "string" ? item.message : "",
  }));
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export class ApiClient {
  readonly baseUrl: string;
  private readonly fetchImpl: Fetch;

  constructor(baseUrl: string, fetchImpl?: Fetch) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
    // Bound lazily so tests can stub the global fetch after the client is created.
    this.fetchImpl = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  }

  url(path: string): string {
    return `${this.baseUrl}${API_PREFIX}${path}`;
  }

  /** Send a request and return the envelope's `data`; throw ApiError on anything else. */
  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return (await this.envelope(path, options)).data as T;
  }

  /** A list endpoint: its items (`data`) and its pagination (`meta`). */
  async requestPage<T>(path: string, options: RequestOptions = {}): Promise<Page<T>> {
    const body = await this.envelope(path, options);
    const meta = isRecord(body.meta) ? body.meta : {};
    const number = (value: unknown, fallback: number) =>
      typeof value === "number" && Number.isFinite(value) ? value : fallback;
    const items = Array.isArray(body.data) ? (body.data as T[]) : [];
    return {
      items,
      page: number(meta.page, 1),
      pages: number(meta.pages, 1),
      total: number(meta.total, items.length),
      totalExact: meta.total_exact !== false,
    };
  }

  /** The whole success envelope; ApiError for anything else. */
  private async envelope(path: string, options: RequestOptions): Promise<Record<string, unknown>> {
    // The UI is in Brazilian Portuguese: ask the API for its messages in the same language.
    const headers: Record<string, string> = {
      Accept: "application/json",
      "Accept-Language": requestLanguage.current,
      ...options.headers,
    };
    if (options.rawBody !== undefined) {
      headers["Content-Type"] = options.rawBody.type || "application/octet-stream";
    } else if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
    }
    if (options.token) {
      headers.Authorization = `Bearer ${options.token}`;
    }

    let response: Response;
    try {
      response = await this.fetchImpl(this.url(path), {
        method: options.method ?? "GET",
        headers,
        body:
          options.rawBody ??
          (options.body === undefined ? undefined : JSON.stringify(options.body)),
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === "AbortError") {
        throw error;
      }
      throw new ApiError(networkErrorMessage(), { status: 0, code: "network_error" });
    }

    const body = await readJson(response);
    const requestId = response.headers.get("X-Request-ID");

    if (!isRecord(body)) {
      throw new ApiError(unexpectedResponseMessage(response.status), {
        status: response.status,
        code: "unexpected_response",
        requestId,
      });
    }

    if (!response.ok || body.status === "error") {
      throw new ApiError(
        typeof body.message === "string" && body.message !== ""
          ? body.message
          : unexpectedResponseMessage(response.status),
        {
          status: response.status,
          code: typeof body.code === "string" ? body.code : "error",
          errors: readFieldErrors(body.errors),
          requestId: typeof body.request_id === "string" ? body.request_id : requestId,
          data: body.data,
        },
      );
    }

    return body;
  }
}

export const api = new ApiClient(resolveApiUrl(import.meta.env.VITE_API_URL));
