import { afterEach, describe, expect, it } from "vitest";

import { ApiClient, ApiError } from "../api/client";
import { authorizedRequest } from "./authorized";
import { clearTokens, getAccessToken, saveTokens } from "./tokens";

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

const EXPIRED = json(401, { status: "error", message: "Token expirado.", code: "token_expired" });

afterEach(() => clearTokens());

describe("authorizedRequest", () => {
  it("renews an expired access token once and sends the request again", async () => {
    saveTokens({ accessToken: "old", refreshToken: "refresh-1" });
    const seen: string[] = [];
    const api = new ApiClient("", async (input, init) => {
      const url = String(input);
      const auth = new Headers(init?.headers).get("Authorization") ?? "";
      seen.push(`${url} ${auth}`);
      if (url.endsWith("/auth/refresh-token")) {
        return json(200, {
          status: "success",
          data: {
            access_token: "new",
            refresh_token: "refresh-2",
            token_type: "Bearer",
            expires_in: 900,
            user: { id: "u", name: "Ana", email: "a@x.com", role: "staff" },
          },
        });
      }
      return auth === "Bearer new" ? json(200, { status: "success", data: [1, 2] }) : EXPIRED.clone();
    });

    await expect(authorizedRequest<number[]>("/orders", {}, api)).resolves.toEqual([1, 2]);
    expect(seen).toEqual([
      "/api/v1/orders Bearer old",
      "/api/v1/auth/refresh-token ",
      "/api/v1/orders Bearer new",
    ]);
    expect(getAccessToken()).toBe("new");
  });

  it("gives up when the session cannot be renewed", async () => {
    saveTokens({ accessToken: "old", refreshToken: "revoked" });
    const api = new ApiClient("", async (input) =>
      String(input).endsWith("/auth/refresh-token")
        ? json(401, { status: "error", message: "Sessão encerrada.", code: "invalid_token" })
        : EXPIRED.clone(),
    );

    const failure = authorizedRequest("/orders", {}, api);

    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ status: 401, code: "token_expired" });
  });

  it("does not retry other errors", async () => {
    saveTokens({ accessToken: "t", refreshToken: "r" });
    let calls = 0;
    const api = new ApiClient("", async () => {
      calls += 1;
      return json(409, { status: "error", message: "Estoque insuficiente.", code: "insufficient_stock" });
    });

    await expect(authorizedRequest("/orders", { method: "POST", body: {} }, api)).rejects.toMatchObject({
      status: 409,
    });
    expect(calls).toBe(1);
  });
});
