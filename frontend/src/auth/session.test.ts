import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiClient } from "../api/client";
import { setLanguage } from "../i18n";
import { login, logout, restoreSession, roleLabel } from "./session";
import { getAccessToken, getRefreshToken, saveTokens } from "./tokens";

const user = { id: "u1", name: "Ana", email: "ana@example.com", role: "admin" };

function ok(data: unknown): Response {
  return new Response(JSON.stringify({ status: "success", message: "ok", data }), {
    status: 200,
    headers: { "Content-Type": "application/json" },
  });
}

describe("session", () => {
  beforeEach(() => {
    window.sessionStorage.clear();
  });

  it("keeps the access token in memory and the refresh token in sessionStorage", async () => {
    const client = new ApiClient("", async () =>
      ok({ access_token: "a1", refresh_token: "r1", token_type: "Bearer", expires_in: 900, user }),
    );

    await expect(login("ana@example.com", "segredo-123", client)).resolves.toEqual(user);

    expect(getAccessToken()).toBe("a1");
    expect(window.sessionStorage.getItem("pedidos.refresh_token")).toBe("r1");
  });

  it("revokes the refresh token on logout and forgets both tokens", async () => {
    saveTokens({ accessToken: "a1", refreshToken: "r1" });
    const fetchMock = vi.fn<typeof fetch>(async () => ok(null));

    await logout(new ApiClient("", fetchMock));

    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/api/v1/auth/logout");
    expect(init?.body).toBe(JSON.stringify({ refresh_token: "r1" }));
    expect(init?.headers).toMatchObject({ Authorization: "Bearer a1" });
    expect(getAccessToken()).toBeNull();
    expect(getRefreshToken()).toBeNull();
  });

  it("uses a rotating refresh token once even when restored twice at the same time", async () => {
    saveTokens({ accessToken: "old", refreshToken: "r1" });
    const fetchMock = vi.fn<typeof fetch>(async () =>
      ok({ access_token: "a2", refresh_token: "r2", token_type: "Bearer", expires_in: 900, user }),
    );
    const client = new ApiClient("", fetchMock);

    const [first, second] = await Promise.all([restoreSession(client), restoreSession(client)]);

    expect(first).toEqual(user);
    expect(second).toEqual(user);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(getRefreshToken()).toBe("r2");
  });
});

describe("roleLabel", () => {
  afterEach(async () => {
    await setLanguage("pt-BR");
  });

  it("names the role in the current language and keeps an unknown one as it came", async () => {
    await setLanguage("pt-BR");
    expect(roleLabel("admin")).toBe("Administrador");
    expect(roleLabel("supplier")).toBe("Fornecedor");
    expect(roleLabel("auditor")).toBe("auditor");

    await setLanguage("en");
    expect(roleLabel("admin")).toBe("Administrator");
    expect(roleLabel("staff")).toBe("Staff");
  });
});
