/**
 * The three pages rendered in jsdom against a stubbed API (authorizedRequest/authorizedPage):
 * what they ask for and what they show. The pure rules have their own tests beside them.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, type ReactElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { ApiError, type Page } from "../api/client";
import { authorizedPage, authorizedRequest } from "../auth/authorized";
import { SessionContext } from "../auth/SessionContext";
import i18next from "../i18n";
import { ordersRoutes } from "./index";
import type { OrderDetail, OrderSummary } from "./types";

vi.mock("../auth/authorized", () => ({ authorizedRequest: vi.fn(), authorizedPage: vi.fn() }));

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

type Call = { path: string; method: string; body: unknown; headers?: Record<string, string> };
type Handler = (call: Call) => unknown;

const ORDER_ID = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const OTHER_ID = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";
const CLIENT_ID = "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const PRODUCT_ID = "5b0c2d8e-8a61-4f0e-9d3c-1f2a3b4c5d6e";
const ITEM_ID = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f";

let calls: Call[] = [];
let container: HTMLDivElement;
let root: Root;

/** Every request goes through `handler`; a thrown ApiError is the API's refusal. */
function stubApi(handler: Handler) {
  calls = [];
  const answer = async (path: string, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const call = { path, method: options.method ?? "GET", body: options.body, headers: options.headers };
    calls.push(call);
    return handler(call);
  };
  vi.mocked(authorizedRequest).mockImplementation(answer as typeof authorizedRequest);
  vi.mocked(authorizedPage).mockImplementation(answer as typeof authorizedPage);
}

function Location() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

async function render(url: string) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const session = {
    state: { status: "authenticated" as const, user: { id: "u1", name: "Ana", email: "ana@x.com", role: "staff" } },
    login: async () => {},
    logout: async () => {},
  };
  const app: ReactElement = (
    <QueryClientProvider client={queryClient}>
      <SessionContext.Provider value={session}>
        <MemoryRouter initialEntries={[url]}>
          <Routes>
            {ordersRoutes.map((route) => (
              <Route key={route.path} path={route.path} element={route.element} />
            ))}
          </Routes>
          <Location />
        </MemoryRouter>
      </SessionContext.Provider>
    </QueryClientProvider>
  );
  await act(async () => root.render(app));
}

const $ = <T extends Element = HTMLElement>(selector: string) => container.querySelector<T>(selector);
const $$ = (selector: string) => [...container.querySelectorAll<HTMLElement>(selector)];
const byTestId = <T extends Element = HTMLElement>(id: string) => $<T>(`[data-testid="${id}"]`);

/** Wait (really: the pages debounce and poll) until `check` passes. */
async function until(check: () => void, timeoutMs = 4000) {
  const start = Date.now();
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() - start > timeoutMs) {
        throw error;
      }
      await act(async () => new Promise((resolve) => setTimeout(resolve, 40)));
    }
  }
}

async function click(element: Element | null) {
  expect(element).not.toBeNull();
  await act(async () => (element as HTMLElement).click());
}

/** Type into an input the way React sees it (its value setter, then an input event). */
async function type(element: Element | null, value: string) {
  expect(element).not.toBeNull();
  const input = element as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
  const prototype = Object.getPrototypeOf(input) as object;
  const setter = Object.getOwnPropertyDescriptor(prototype, "value")?.set;
  await act(async () => {
    setter?.call(input, value);
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

function page<T>(items: T[], extra: Partial<Page<T>> = {}): Page<T> {
  return { items, page: 1, pages: 1, total: items.length, totalExact: true, ...extra };
}

function summary(id: string, number: number, status = "pending"): OrderSummary {
  return {
    id,
    number,
    type: "sale",
    status,
    stock_status: "reserved",
    total: 120.73,
    item_count: 2,
    client_name: "Escola Municipal Monteiro Lobato",
    created_at: "2026-12-07T14:05:00Z",
  };
}

function detail(changes: Partial<OrderDetail> = {}): OrderDetail {
  return {
    id: ORDER_ID,
    number: 1042,
    type: "sale",
    status: "pending",
    stock_status: "reserved",
    total: 55.8,
    item_count: 1,
    created_at: "2026-12-07T14:05:00Z",
    client: { id: CLIENT_ID, name: "Escola Municipal Monteiro Lobato", document: "12345678000195" },
    items: [
      {
        id: ITEM_ID,
        product_id: PRODUCT_ID,
        product_name: "Arroz branco tipo 1 (5 kg)",
        unit: "pct",
        quantity: 2,
        unit_price: 27.9,
        line_total: 55.8,
      },
    ],
    shortages: [],
    status_history: [{ from: null, to: "pending", at: "2026-12-07T14:05:00Z", by: "u1", by_role: "staff", note: null }],
    allowed_transitions: ["approved", "cancelled"],
    ...changes,
  };
}

beforeEach(async () => {
  await i18next.changeLanguage("pt-BR");
  container = document.createElement("div");
  document.body.appendChild(container);
  root = createRoot(container);
});

afterEach(async () => {
  await act(async () => root.unmount());
  container.remove();
});

describe("/pedidos", () => {
  it("asks GET /orders for the URL's filters and sort, and says when the total is an estimate", async () => {
    stubApi(({ path }) => {
      if (path.startsWith("/orders?")) {
        return page([summary(ORDER_ID, 1042), summary(OTHER_ID, 1043)], { total: 1000, pages: 50, totalExact: false });
      }
      throw new Error(`unexpected ${path}`);
    });
    await render("/pedidos?status=pending&sort=total&page=2");

    await until(() => expect($$('[data-testid="order-row"]')).toHaveLength(2));
    const asked = new URLSearchParams(calls[0].path.split("?")[1]);
    expect(Object.fromEntries(asked)).toMatchObject({
      status: "pending",
      sort: "total",
      page: "2",
      page_size: "20",
      with_details: "true",
    });
    expect(byTestId("orders-count")?.textContent).toContain("mais de 1.000 pedidos");
    expect(byTestId("filter-status")).toHaveProperty("value", "pending");
    expect($('th[aria-sort="ascending"]')?.textContent).toContain("Total");

    await click(byTestId("sort-total"));
    expect(byTestId("location")?.textContent).toBe("/pedidos?status=pending&sort=-total");
  });

  it("changes the status of the chosen orders and shows what happened to each", async () => {
    stubApi(({ path, method }) => {
      if (path.startsWith("/orders?")) {
        return page([summary(ORDER_ID, 1042), summary(OTHER_ID, 1043, "cancelled")]);
      }
      if (path === "/orders/status" && method === "PUT") {
        return {
          updated: 1,
          not_found: [],
          details: [{ order_id: ORDER_ID, number: 1042, previous_status: "pending", new_status: "approved", total: 120.73 }],
          failed: [
            {
              order_id: OTHER_ID,
              number: 1043,
              status: "cancelled",
              code: "illegal_transition",
              reason: "Não é possível mudar de cancelled para approved.",
            },
          ],
          total_value_approved: 120.73,
        };
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    await render("/pedidos");
    await until(() => expect($$('[data-testid="order-row"]')).toHaveLength(2));

    await click(byTestId("select-page"));
    expect(byTestId("bulk-bar")?.textContent).toContain("2 pedidos selecionados");
    await type(byTestId("bulk-status"), "approved");
    await type(byTestId("bulk-note"), " reunião de segunda ");
    await click(byTestId("bulk-apply"));

    await until(() => expect(byTestId("bulk-result")).not.toBeNull());
    const put = calls.find((call) => call.method === "PUT");
    expect(put?.body).toEqual({ order_ids: [ORDER_ID, OTHER_ID], new_status: "approved", note: "reunião de segunda" });
    const result = byTestId("bulk-result")?.textContent ?? "";
    expect(result).toContain("1 de 2 pedidos alterados");
    expect(byTestId("bulk-approved-value")?.textContent?.replace(/\s/g, " ")).toContain("R$ 120,73");
    expect(byTestId("bulk-failed")?.textContent).toContain("Não é possível mudar de cancelled para approved.");
    // The refused order stays chosen, and the list is read again.
    expect(byTestId("bulk-bar")?.textContent).toContain("1 pedido selecionado");
    await until(() => expect(calls.filter((call) => call.path.startsWith("/orders?")).length).toBeGreaterThan(1));
  });

  it("asks before cancelling many orders", async () => {
    stubApi(({ path }) => {
      if (path.startsWith("/orders?")) {
        return page([summary(ORDER_ID, 1042)]);
      }
      return { updated: 1, details: [], failed: [], not_found: [], total_value_approved: 0 };
    });
    await render("/pedidos");
    await until(() => expect($$('[data-testid="select-order"]')).toHaveLength(1));
    await click(byTestId("select-order"));
    await type(byTestId("bulk-status"), "cancelled");
    await type(byTestId("bulk-cancel-reason"), "Escola fechada");
    await click(byTestId("bulk-apply"));

    expect(calls.some((call) => call.method === "PUT")).toBe(false);
    await click(byTestId("bulk-confirm"));
    await until(() => expect(calls.some((call) => call.method === "PUT")).toBe(true));
    expect(calls.find((call) => call.method === "PUT")?.body).toEqual({
      order_ids: [ORDER_ID],
      new_status: "cancelled",
      cancel_reason: "Escola fechada",
    });
  });

  it("filters by a client searched by name, and names the client of a filter read from the URL", async () => {
    stubApi(({ path }) => {
      if (path.startsWith("/orders?")) {
        return page([summary(ORDER_ID, 1042)]);
      }
      if (path.startsWith("/clients?")) {
        return page([{ id: CLIENT_ID, name: "Escola Municipal Monteiro Lobato", document: "12345678000195" }]);
      }
      if (path === `/suppliers/${OTHER_ID}`) {
        return { id: OTHER_ID, name: "Distribuidora Boa Safra Ltda" };
      }
      throw new Error(`unexpected ${path}`);
    });
    await render(`/pedidos?supplier_id=${OTHER_ID}&page=3`);
    await until(() =>
      expect(byTestId("filter-supplier_id-value")?.textContent).toBe("Distribuidora Boa Safra Ltda"),
    );

    await type(byTestId("filter-client_id-input"), "lobato");
    // Typed, then asked once the typing settles.
    await until(() => expect(calls.some((call) => call.path === "/clients?page_size=10&name=lobato")).toBe(true));
    await until(() => expect(byTestId("filter-client_id-option")).not.toBeNull());
    await click(byTestId("filter-client_id-option"));
    await click(byTestId("filters-apply"));

    expect(byTestId("location")?.textContent).toBe(`/pedidos?client_id=${CLIENT_ID}&supplier_id=${OTHER_ID}`);
    expect(byTestId("filter-client_id-value")?.textContent).toContain("Monteiro Lobato");
    expect(calls.some((call) => call.path.startsWith("/clients/"))).toBe(false); // already known
  });

  it("shows the API's field error beside the date it is about", async () => {
    stubApi(() => {
      throw new ApiError("Dados inválidos.", {
        status: 400,
        code: "validation_error",
        errors: [{ field: "date_from", message: "date_from não pode ser depois de date_to." }],
      });
    });
    await render("/pedidos?date_from=2026-12-01&date_to=2026-01-01");
    await until(() => expect(byTestId("orders-error")).not.toBeNull());
    const dateField = byTestId("filter-date-from")?.closest(".field");
    expect(dateField?.textContent).toContain("date_from não pode ser depois de date_to.");
    expect(byTestId("filter-date-from")?.getAttribute("aria-invalid")).toBe("true");
  });
});

describe("/pedidos/:id", () => {
  it("offers exactly the API's allowed transitions, and reads the order again while the stock decides", async () => {
    let reads = 0;
    stubApi(({ path, method }) => {
      if (path === `/orders/${ORDER_ID}` && method === "GET") {
        reads += 1;
        return reads === 1
          ? detail({ stock_status: "awaiting", allowed_transitions: ["cancelled"] })
          : detail({ stock_status: "reserved", allowed_transitions: ["approved", "cancelled"] });
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    await render(`/pedidos/${ORDER_ID}`);

    await until(() => expect(byTestId("order-stock-status")?.dataset.stockStatus).toBe("awaiting"));
    expect($$('[data-testid^="action-"]').map((button) => button.dataset.testid)).toEqual(["action-cancelled"]);

    await until(() => expect(byTestId("order-stock-status")?.dataset.stockStatus).toBe("reserved"), 5000);
    expect($$('[data-testid^="action-"]').map((button) => button.dataset.testid)).toEqual([
      "action-approved",
      "action-cancelled",
    ]);
    const readsWhenDecided = reads;
    await act(async () => new Promise((resolve) => setTimeout(resolve, 1800)));
    expect(reads).toBe(readsWhenDecided); // decided: no more polling
  }, 12_000);

  it("confirms a cancellation and sends the status, the note and the reason", async () => {
    stubApi(({ path, method, body }) => {
      if (method === "PUT") {
        return detail({ status: "cancelled", allowed_transitions: [], cancel_reason: (body as { cancel_reason: string }).cancel_reason });
      }
      if (path === `/orders/${ORDER_ID}`) {
        return detail();
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    await render(`/pedidos/${ORDER_ID}`);
    await until(() => expect(byTestId("action-cancelled")).not.toBeNull());

    await type(byTestId("status-note"), "Pedido duplicado");
    await click(byTestId("action-cancelled"));
    expect(calls.some((call) => call.method === "PUT")).toBe(false);
    expect(byTestId("status-confirm")?.textContent).toContain("Cancelar o pedido nº 1042?");
    await type(byTestId("status-cancel-reason"), "Cliente pediu duas vezes");
    await click(byTestId("status-confirm-yes"));

    await until(() => expect(byTestId("order-page")?.dataset.status).toBe("cancelled"));
    expect(calls.find((call) => call.method === "PUT")).toMatchObject({
      path: `/orders/${ORDER_ID}`,
      body: { status: "cancelled", note: "Pedido duplicado", cancel_reason: "Cliente pediu duas vezes" },
    });
    expect(byTestId("no-actions")).not.toBeNull();
  });

  it("changes a line's quantity and shows a stock refusal on that line", async () => {
    stubApi(({ path, method }) => {
      if (method === "PATCH") {
        throw new ApiError("Estoque insuficiente: Arroz (pedido 40, disponível 30). Nada foi gravado.", {
          status: 409,
          code: "insufficient_stock",
          data: { shortages: [{ product_id: PRODUCT_ID, product_name: "Arroz", requested: 40, available: 30 }] },
        });
      }
      if (path === `/orders/${ORDER_ID}`) {
        return detail();
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    await render(`/pedidos/${ORDER_ID}`);
    await until(() => expect(byTestId("item-quantity")).not.toBeNull());

    await type(byTestId("item-quantity"), "40");
    expect(byTestId("item-preview")?.textContent?.replace(/\s/g, " ")).toContain("R$ 1.116,00");
    await click(byTestId("item-save"));

    await until(() => expect(byTestId("item-shortage")).not.toBeNull());
    expect(calls.find((call) => call.method === "PATCH")).toMatchObject({
      path: `/orders/${ORDER_ID}/items/${ITEM_ID}`,
      body: { quantity: 40 },
    });
    expect(byTestId("item-shortage")?.textContent).toContain("pedido 40, disponível 30");
  });
});

describe("/pedidos/novo", () => {
  it("sends the order with one Idempotency-Key per body, shows shortages on their line, then opens the order", async () => {
    let posts = 0;
    stubApi(({ path, method }) => {
      if (path.startsWith("/clients?")) {
        return page([{ id: CLIENT_ID, name: "Escola Municipal Monteiro Lobato", document: "12345678000195" }]);
      }
      if (path.startsWith("/products?")) {
        return page([
          { id: PRODUCT_ID, name: "Arroz branco tipo 1 (5 kg)", unit: "pct", price: 27.9, stock: { available: 30 } },
        ]);
      }
      if (path === "/orders" && method === "POST") {
        posts += 1;
        if (posts <= 2) {
          throw new ApiError("Estoque insuficiente.", {
            status: 409,
            code: "insufficient_stock",
            data: { shortages: [{ product_id: PRODUCT_ID, requested: 2, available: 1 }] },
          });
        }
        return detail({ stock_status: "awaiting" });
      }
      if (path === `/orders/${ORDER_ID}`) {
        return detail();
      }
      throw new Error(`unexpected ${method} ${path}`);
    });
    await render("/pedidos/novo");

    await click(byTestId("order-submit"));
    expect(calls.some((call) => call.method === "POST")).toBe(false);
    expect(byTestId("order-client")?.textContent).toContain("Escolha o cliente do pedido.");

    await type(byTestId("order-client-input"), "Monteiro");
    await until(() => expect(byTestId("order-client-option")).not.toBeNull());
    await click(byTestId("order-client-option"));
    expect(byTestId("order-client-value")?.textContent).toContain("Escola Municipal Monteiro Lobato");

    await until(() => expect(byTestId("product-add")).not.toBeNull());
    await click(byTestId("product-add"));
    await click(byTestId("product-add"));
    expect(byTestId("cart-total")?.textContent?.replace(/\s/g, " ")).toBe("R$ 55,80");

    await click(byTestId("order-submit"));
    await until(() => expect(byTestId("line-shortage")).not.toBeNull());
    expect(byTestId("line-shortage")?.textContent).toContain("pedido 2, disponível 1");

    await click(byTestId("order-submit")); // the same order again: the same key
    await until(() => expect(posts).toBe(2));
    await type(byTestId("cart-quantity"), "1");
    await click(byTestId("order-submit")); // another order: another key
    await until(() => expect(byTestId("location")?.textContent).toBe(`/pedidos/${ORDER_ID}`));

    const sent = calls.filter((call) => call.method === "POST");
    expect(sent.map((call) => call.body)).toEqual([
      { client_id: CLIENT_ID, items: [{ product_id: PRODUCT_ID, quantity: 2 }] },
      { client_id: CLIENT_ID, items: [{ product_id: PRODUCT_ID, quantity: 2 }] },
      { client_id: CLIENT_ID, items: [{ product_id: PRODUCT_ID, quantity: 1 }] },
    ]);
    const keys = sent.map((call) => call.headers?.["Idempotency-Key"]);
    expect(keys[0]).toBeTruthy();
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  }, 12_000);
});
