import { afterEach, describe, expect, it } from "vitest";

import { ApiClient } from "../api/client";
import { setLanguage } from "../i18n";
import { fetchHealth, readServices, readWarnings } from "./health";

function states(data: unknown, gatewayAnswered = true): Record<string, string> {
  return Object.fromEntries(readServices(data, gatewayAnswered).map((s) => [s.name, s.state]));
}

afterEach(async () => {
  await setLanguage("pt-BR");
});

describe("readServices", () => {
  it("reads a map of service names to statuses", () => {
    expect(
      states({ services: { auth_service: "ok", order_service: { status: "unavailable" }, stock: true } }),
    ).toEqual({
      gateway: "ready",
      auth_service: "ready",
      order_service: "unavailable",
      stock_service: "ready",
    });
  });

  it("reads a list of services and marks missing known ones unavailable", () => {
    expect(states({ services: [{ name: "auth", ready: true }] })).toEqual({
      gateway: "ready",
      auth_service: "ready",
      order_service: "unavailable",
      stock_service: "unavailable",
    });
  });

  it("names the services in the language chosen, even after they were read", async () => {
    await setLanguage("pt-BR");
    const services = readServices({ services: { auth: "ok", stock: "ok", order_service: "ok", mailer: "ok" } });
    expect(services.map((s) => s.label)).toEqual(["Gateway (API)", "Autenticação", "Pedidos", "Estoque", "mailer"]);

    await setLanguage("en");
    expect(services.map((s) => s.label)).toEqual(["Gateway (API)", "Authentication", "Orders", "Stock", "mailer"]);
  });

  it("marks everything unavailable when the gateway did not answer", () => {
    expect(Object.values(states(undefined, false))).toEqual([
      "unavailable",
      "unavailable",
      "unavailable",
      "unavailable",
    ]);
  });
});

describe("fetchHealth", () => {
  it("reads the gateway's answer when every service is ready", async () => {
    const client = new ApiClient("", async () =>
      new Response(
        JSON.stringify({
          status: "success",
          message: "Todos os serviços estão prontos.",
          data: {
            gateway: "ok",
            services: {
              auth_service: { ready: true, checks: { database: "ok" } },
              order_service: { ready: true, checks: { database: "ok" } },
              stock_service: { ready: true, checks: { database: "ok" } },
            },
          },
        }),
        { status: 200, headers: { "Content-Type": "application/json" } },
      ),
    );

    const report = await fetchHealth(client);

    expect(report.error).toBeNull();
    expect(report.services.map((s) => [s.name, s.state])).toEqual([
      ["gateway", "ready"],
      ["auth_service", "ready"],
      ["order_service", "ready"],
      ["stock_service", "ready"],
    ]);
  });

  it("still lists the services when the gateway answers 503 with their states", async () => {
    const client = new ApiClient("", async () =>
      new Response(
        JSON.stringify({
          status: "error",
          message: "Serviço indisponível.",
          code: "service_unavailable",
          data: {
            gateway: "ok",
            services: {
              auth_service: { ready: true, checks: { database: "ok" } },
              order_service: { ready: true, checks: { database: "ok" } },
              stock_service: { ready: false, error: "unreachable" },
            },
          },
        }),
        { status: 503, headers: { "Content-Type": "application/json" } },
      ),
    );

    const report = await fetchHealth(client);

    expect(report.error).toBeNull();
    expect(report.services.find((s) => s.name === "stock_service")?.state).toBe("unavailable");
    expect(report.services.find((s) => s.name === "auth_service")?.state).toBe("ready");
  });
});

describe("readWarnings", () => {
  it("keeps the gateway's warning texts and ignores anything else", () => {
    expect(readWarnings({ warnings: ["order_service: 50 evento(s) aguardando", 3] })).toEqual([
      "order_service: 50 evento(s) aguardando",
    ]);
    expect(readWarnings({ services: {} })).toEqual([]);
    expect(readWarnings(undefined)).toEqual([]);
  });
});
