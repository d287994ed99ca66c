/** The gateway's GET /api/v1/health, read into one line per service: pronto or indisponível. */

import { ApiError, api as defaultApi, type ApiClient } from "../api/client";
import i18next from "../i18n";

export type ServiceState = "ready" | "unavailable";

export interface ServiceHealth {
  name: string;
  /** The service's name on screen, in the current language (shell:status.serviceNames.*). */
  readonly label: string;
  state: ServiceState;
}

/** The services the platform has, in the order the panel lists them. */
const KNOWN_SERVICES: ReadonlyArray<{ name: string; aliases: string[] }> = [
  { name: "gateway", aliases: ["api", "api_gateway"] },
  { name: "auth_service", aliases: ["auth"] },
  { name: "order_service", aliases: ["orders", "order"] },
  { name: "stock_service", aliases: ["stock"] },
];

/**
 * One row of the panel. The label is read when it is shown, so a language switch renames
 * the services at once, not at the next check (a class: the query cache keeps it as it is).
 */
class ServiceRow implements ServiceHealth {
  readonly name: string;
  readonly state: ServiceState;
  /** What the gateway called a service this page does not know. */
  private readonly reportedName: string;

  constructor(name: string, state: ServiceState, reportedName = name) {
    this.name = name;
    this.state = state;
    this.reportedName = reportedName;
  }

  get label(): string {
    return isKnown(this.name) ? i18next.t(`shell:status.serviceNames.${this.name}`) : this.reportedName;
  }
}

const READY_WORDS = new Set(["ok", "ready", "up", "healthy", "pass", "available", "success", "pronto"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function canonical(name: string): string {
  const key = name.trim().toLowerCase().replace(/-/g, "_");
  const known = KNOWN_SERVICES.find((service) => service.name === key || service.aliases.includes(key));
  return known ? known.name : key;
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
  return Object.entries(data).filter(([name]) => isKnown(canonical(name)));
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
    const name = canonical(rawName);
    states.set(name, new ServiceRow(name, isReady(value) ? "ready" : "unavailable", rawName));
  }
  if (gatewayAnswered && !states.has("gateway")) {
    states.set("gateway", new ServiceRow("gateway", "ready"));
  }
  const known = KNOWN_SERVICES.map(
    (service) => states.get(service.name) ?? new ServiceRow(service.name, "unavailable"),
  );
  const others = [...states.values()]
    .filter((service) => !isKnown(service.name))
    .sort((a, b) => a.label.localeCompare(b.label, i18next.language || "pt-BR"));
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
