import { describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { ApiClient, ApiError, retryUnlessRefused, resolveApiUrl } from "./client";

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

describe("ApiClient", () => {
  it("returns the envelope's data and sends the token and JSON body", async () => {
    const fetchMock = vi.fn<typeof fetch>(async () =>
      jsonResponse(200, { status: "success", message: "ok", data: { id: "42" } }),
    );
    const client = new ApiClient("http://gateway:5000/", fetchMock);

    const data = await client.request<{ id: string }>("/auth/logout", {
      method: "POST",
      body: { refresh_token: "r1" },
      token: "a1",
    });

    expect(data).toEqual({ id: "42" });
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("http://gateway:5000/api/v1/auth/logout");
    expect(init?.method).toBe("POST");
    expect(init?.body).toBe(JSON.stringify({ refresh_token: "r1" }));
    expect(init?.headers).toMatchObject({
      Authorization: "Bearer a1",
      "Content-Type": "application/json",
      "Accept-Language": "pt-BR",
    });
  });

  it("reads a list's page and its meta, and says when the total is an estimate", async () => {
    const client = new ApiClient("", async () =>
      jsonResponse(200, {
        status: "success",
        message: "Pedidos encontrados.",
        data: [{ id: "a" }, { id: "b" }],
        meta: { page: 2, page_size: 2, total: 1001, pages: 501, total_exact: false },
      }),
    );

    await expect(client.requestPage<{ id: string }>("/orders?page=2")).resolves.toEqual({
      items: [{ id: "a" }, { id: "b" }],
      page: 2,
      pages: 501,
      total: 1001,
      totalExact: false,
    });
  });

  it("turns the error envelope into an ApiError carrying the message for the user", async () => {
    const client = new ApiClient("", async () =>
      jsonResponse(401, {
        status: "error",
        message: "E-mail ou senha inválidos.",
        code: "invalid_credentials",
        errors: [{ field: "password", message: "Senha incorreta." }],
        request_id: "req-123",
      }),
    );

    const error = await client.request("/auth/login", { method: "POST", body: {} }).catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      message: "E-mail ou senha inválidos.",
      status: 401,
      code: "invalid_credentials",
      errors: [{ field: "password", message: "Senha incorreta." }],
      requestId: "req-123",
    });
  });

  it("explains a network failure in the app's language", async () => {
    const client = new ApiClient("http://127.0.0.1:5000", async () => {
      throw new TypeError("Failed to fetch");
    });

    const inPortuguese = await client.request("/health").catch((e) => e);
    await setLanguage("en");
    const inEnglish = await client.request("/health").catch((e: unknown) => e as ApiError);
    await setLanguage("pt-BR");

    expect(inPortuguese).toBeInstanceOf(ApiError);
    expect(inPortuguese).toMatchObject({
      status: 0,
      code: "network_error",
      message: "Não foi possível conectar ao servidor. Verifique sua conexão e tente novamente.",
    });
    expect(inEnglish).toMatchObject({
      message: "Could not reach the server. Check your connection and try again.",
    });
  });

  it("reports a response that is not the envelope with its HTTP status", async () => {
    const client = new ApiClient("http://127.0.0.1:5000", async () =>
      new Response("<html>Bad Gateway</html>", {
        status: 502,
        headers: { "Content-Type": "text/html", "X-Request-ID": "edge-9" },
      }),
    );

    const error = await client.request("/health").catch((e) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 502,
      code: "unexpected_response",
      message: expect.stringContaining("HTTP 502"),
      requestId: "edge-9",
    });
  });
});

describe("resolveApiUrl", () => {
  it("defaults to the local gateway and keeps an empty value as same-origin", () => {
    expect(resolveApiUrl(undefined)).toBe("http://127.0.0.1:5000");
    expect(resolveApiUrl("https://api.example.test/")).toBe("https://api.example.test");
    expect(resolveApiUrl("")).toBe("");
  });
});

describe("retryUnlessRefused", () => {
  it("does not ask again after a refusal", () => {
    const refused = (status: number) => new ApiError("x", { status, code: "x" });
    expect([400, 403, 404, 409].map((status) => retryUnlessRefused(0, refused(status)))).toEqual([
      false, false, false, false,
    ]);
  });

  it("asks once more after a network error or a server error", () => {
    const down = new ApiError("x", { status: 0, code: "network_error" });
    const failed = new ApiError("x", { status: 503, code: "unavailable" });
    expect(retryUnlessRefused(0, down)).toBe(true);
    expect(retryUnlessRefused(0, failed)).toBe(true);
    expect(retryUnlessRefused(1, failed)).toBe(false);
  });
});
