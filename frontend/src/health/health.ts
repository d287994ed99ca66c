/** The gateway's GET /api/v1/health, read into one line per service: pronto or indisponível. */

import { ApiError, api as defaultApi, type ApiClient } from "../api/client";

export type ServiceState = "ready" | "unavailable";

export interface ServiceHealth {
  name: string;
  label: string;
  state: ServiceState;
}

/** The services the platform has, in the order the panel lists them. */
const KNOWN_SERVICES: ReadonlyArray<{ name: string; label: string; aliases: string[] }> = [
  { name: "gateway", label: "Gateway (API)", aliases: ["api", "api_gateway"] },
  { name: "auth_service", label: "Autenticação", aliases: ["auth"] },
  { name: "order_service", label: "Pedidos", aliases: ["orders", "order"] },
  { name: "stock_service", label: "Estoque", aliases: ["stock"] },
];

const READY_WORDS = new Set(["ok", "ready", "up", "healthy", "pass", "available", "success", "pronto"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function canonical(name: string): { name: string; label: string } {
  const key = name.trim().toLowerCase().replace(/-/g, "_");
  const known = KNOWN_SERVICES.find((service) => service.name === key || service.aliases.includes(key));
  return known ? { name: known.name, label: known.label } : { name: key, label: name };
}

function isKnown(name: string): boolean {
  return KNOWN_SERVICES.some((service) => service.name === name);
}

function isReady(value: unknown): boolean {
  if (typeof value === "boolean") {
    return value;
  }
  if (typeof value === "string") {
    return READY_WORDS.has(value.trim().toLowerCase());
  }
  if (isRecord(value)) {
    for (const flag of ["ready", "healthy", "ok", "up"]) {
      if (typeof value[flag] === "boolean") {
        return value[flag] as boolean;
      }
    }
    for (const word of ["status", "state"]) {
      if (typeof value[word] === "string") {
        return isReady(value[word]);
      }
    }
  }
  return false;
}

function entries(data: unknown): Array<[string, unknown]> {
  if (!isRecord(data)) {
    return [];
  }
  const services = data.services ?? data.checks ?? data.dependencies;
  if (Array.isArray(services)) {
    return services.filter(isRecord).flatMap((item): Array<[string, unknown]> => {
      const name = item.name ?? item.service;
      return typeof name === "string" ? [[name, item]] : [];
    });
  }
  if (isRecord(services)) {
    return Object.entries(services);
  }
  // No list: the body may name the services at its top level ({"auth_service": "ok", ...}).
  return Object.entries(data).filter(([name]) => isKnown(canonical(name).name));
}

/**
 * Read the health body into the panel's rows. Accepts `services` (or `checks`) as a map
 * `{name: "ok" | true | {status|ready}}` or a list `[{name, status|ready}]`. The gateway
 * answered, so it is ready unless the body says otherwise; known services it does not
 * mention are shown as unavailable.
 */
export function readServices(data: unknown, gatewayAnswered = true): ServiceHealth[] {
  const states = new Map<string, ServiceHealth>();
  for (const [rawName, value] of entries(data)) {
    const { name, label } = canonical(rawName);
    states.set(name, { name, label, state: isReady(value) ? "ready" : "unavailable" });
  }
  if (gatewayAnswered && !states.has("gateway")) {
    states.set("gateway", { name: "gateway", label: "Gateway (API)", state: "ready" });
  }
  const known = KNOWN_SERVICES.map(
    (service) =>
      states.get(service.name) ?? { name: service.name, label: service.label, state: "unavailable" as const },
  );
  const others = [...states.values()]
    .filter((service) => !isKnown(service.name))
    .sort((a, b) => a.label.localeCompare(b.label, "pt-BR"));
  return [...known, ...others];
}

/** The gateway's `warnings`: e.g. a service whose events wait in its outbox (RabbitMQ down?). */
export function readWarnings(data: unknown): string[] {
  if (typeof data !== "object" || data === null || !("warnings" in data)) {
    return [];
  }
  const warnings = (data as { warnings: unknown }).warnings;
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === "string") : [];
}

export interface HealthReport {
  services: ServiceHealth[];
  /** Ready, but something needs an operator's eye (events not being published...). */
  warnings: string[];
  /** Set when the gateway itself could not be asked. */
  error: string | null;
  checkedAt: Date;
}

export async function fetchHealth(api: ApiClient = defaultApi, signal?: AbortSignal): Promise<HealthReport> {
  const checkedAt = new Date();
  try {
    const data = await api.request<unknown>("/health", { signal });
    return { services: readServices(data), warnings: readWarnings(data), error: null, checkedAt };
  } catch (error) {
    if (error instanceof ApiError && error.status >= 500 && error.data !== undefined) {
      // Degraded: the gateway answers 503 and still says which services are down.
      return {
        services: readServices(error.data),
        warnings: readWarnings(error.data),
        error: null,
        checkedAt,
      };
    }
    if (error instanceof ApiError) {
      return { services: readServices(undefined, false), warnings: [], error: error.message, checkedAt };
    }
    throw error;
  }
}
