/**
 * The catalogue's pages rendered against a fake API: what they ask for, what they show, and
 * that their forms send what the service expects. No browser, no server: the fetch is a stub.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, type ReactElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { SessionContext } from "../auth/SessionContext";
import type { Session } from "../auth/useSession";
import { setLanguage } from "../i18n";
import { catalogueRoutes } from "./index";

const PRODUCT_ID = "11111111-1111-4111-8111-111111111111";
const SUPPLIER_ID = "22222222-2222-4222-8222-222222222222";
const ORDER_ID = "33333333-3333-4333-8333-333333333333";

const PRODUCT = {
  id: PRODUCT_ID,
  name: "Arroz branco tipo 1",
  description: null,
  price: 27.9,
  barcode: null,
  section: "Mercearia",
  category: "Grãos",
  unit: "kg",
  seasonality: null,
  expiry_date: null,
  supplier_id: SUPPLIER_ID,
  supplier_name: "Boa Safra",
  ideal_quantity: 80,
  active: true,
  stock: { on_hand: 15, reserved: 4, available: 11, percent_of_ideal: 13.75, low_stock: true },
  images: [],
  created_at: "2026-11-01T12:00:00Z",
  updated_at: "2026-11-02T12:00:00Z",
};
const LEVEL = {
  product_id: PRODUCT_ID,
  product_name: PRODUCT.name,
  section: "Mercearia",
  category: "Grãos",
  unit: "kg",
  price: 27.9,
  supplier_id: SUPPLIER_ID,
  active: true,
  ideal_quantity: 80,
  on_hand: 15,
  reserved: 4,
  available: 11,
  percent_of_ideal: 13.75,
  low_stock: true,
  updated_at: "2026-11-02T12:00:00Z",
};
const SUPPLIER = {
  id: SUPPLIER_ID,
  name: "Boa Safra",
  cnpj: "11222333000181",
  email: "vendas@boasafra.com.br",
  whatsapp: "11987654321",
  notify_whatsapp: true,
  active: true,
  created_at: "2026-11-01T12:00:00Z",
  updated_at: "2026-11-01T12:00:00Z",
};
const META = { page: 1, page_size: 20, total: 1, pages: 1 };

type Answer = { status?: number; body: unknown };
type Handler = (url: URL, init: RequestInit) => Answer | undefined;

let calls: { method: string; url: URL; body: unknown }[] = [];

function fakeApi(...handlers: Handler[]) {
  calls = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: string, init: RequestInit = {}) => {
      const url = new URL(input);
      const body = typeof init.body === "string" ? JSON.parse(init.body) : init.body;
      calls.push({ method: init.method ?? "GET", url, body });
      for (const handler of handlers) {
        const answer = handler(url, init);
        if (answer) {
          return new Response(JSON.stringify(answer.body), {
            status: answer.status ?? 200,
            headers: { "Content-Type": "application/json" },
          });
        }
      }
      return new Response(JSON.stringify({ status: "error", message: "Rota não encontrada.", code: "not_found" }), {
        status: 404,
      });
    }),
  );
}

const on =
  (method: string, path: RegExp, answer: Answer | ((url: URL, body: unknown) => Answer)): Handler =>
  (url, init) => {
    if ((init.method ?? "GET") !== method || !path.test(url.pathname)) {
      return undefined;
    }
    const body = typeof init.body === "string" ? JSON.parse(init.body) : undefined;
    return typeof answer === "function" ? answer(url, body) : answer;
  };

const ok = (data: unknown, meta?: unknown): Answer => ({ body: { status: "success", message: "ok", data, meta } });

let root: Root | null = null;
let container: HTMLElement;

function session(role: "admin" | "staff"): Session {
  return {
    state: { status: "authenticated", user: { id: "u-1", name: "Ana", email: "ana@x.com", role } },
    login: async () => {},
    logout: async () => {},
  };
}

async function render(path: string, role: "admin" | "staff" = "staff") {
  container = document.createElement("div");
  document.body.appendChild(container);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const app: ReactElement = (
    <QueryClientProvider client={client}>
      <SessionContext.Provider value={session(role)}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            {catalogueRoutes.map((route) => (
              <Route key={route.path} path={route.path} element={route.element} />
            ))}
            <Route path="*" element={<p data-testid="elsewhere">elsewhere</p>} />
          </Routes>
        </MemoryRouter>
      </SessionContext.Provider>
    </QueryClientProvider>
  );
  await act(async () => {
    root = createRoot(container);
    root.render(app);
  });
}

async function until<T>(find: () => T | null | undefined, what = "element"): Promise<T> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const found = find();
    if (found) {
      return found;
    }
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  }
  throw new Error(`not found: ${what}\n${container.innerHTML.slice(0, 2000)}`);
}

const byTestId = (id: string) => container.querySelector<HTMLElement>(`[data-testid="${id}"]`);

function byLabel(text: string, scope: ParentNode = container): HTMLInputElement {
  const label = [...scope.querySelectorAll("label")].find((item) => item.textContent?.trim().startsWith(text));
  if (!label) {
    throw new Error(`no label ${text}`);
  }
  const control = label.htmlFor ? document.getElementById(label.htmlFor) : label.querySelector("input");
  return control as HTMLInputElement;
}

function button(text: string, scope: ParentNode = container): HTMLButtonElement {
  const found = [...scope.querySelectorAll("button")].find((item) => item.textContent?.trim() === text);
  if (!found) {
    throw new Error(`no button ${text}`);
  }
  return found;
}

async function type(input: HTMLInputElement | HTMLSelectElement, value: string) {
  const prototype = input instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  await act(async () => {
    Object.getOwnPropertyDescriptor(prototype, "value")!.set!.call(input, value);
    input.dispatchEvent(new Event(input instanceof HTMLSelectElement ? "change" : "input", { bubbles: true }));
  });
}

async function click(element: HTMLElement) {
  await act(async () => {
    element.click();
  });
}

beforeAll(async () => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
  await setLanguage("pt-BR");
});

afterEach(async () => {
  await act(async () => root?.unmount());
  root = null;
  container.remove();
  vi.unstubAllGlobals();
});

describe("/produtos", () => {
  it("lists products with their stock and the stock service's low-stock mark, filtered by the URL", async () => {
    fakeApi(
      on("GET", /^\/api\/v1\/products$/, ok([PRODUCT], META)),
      on("GET", /^\/api\/v1\/stock\/[^/]+$/, ok(LEVEL)),
      on("GET", /^\/api\/v1\/suppliers/, ok([SUPPLIER], META)),
    );
    await render("/produtos?section=Mercearia&sort=-price&page=2");
    const row = await until(() => byTestId("product-row"), "product row");
    expect(row.textContent).toContain("Arroz branco tipo 1");
    expect(row.dataset.available).toBe("11");
    await until(() => byTestId("low-stock"), "low-stock mark");
    expect(row.textContent).toContain("13,75% do ideal");

    const list = calls.find((call) => call.url.pathname === "/api/v1/products")!;
    expect(Object.fromEntries(list.url.searchParams)).toEqual({
      section: "Mercearia",
      page: "2",
      page_size: "20",
      sort: "-price",
    });
    expect(byLabel("Seção").value).toBe("Mercearia");
  });

  it("says so when nothing matches", async () => {
    fakeApi(on("GET", /^\/api\/v1\/products$/, ok([], { ...META, total: 0 })), on("GET", /suppliers/, ok([], META)));
    await render("/produtos?q=inexistente");
    const empty = await until(() => byTestId("products-empty"));
    expect(empty.textContent).toBe("Nenhum produto com esses filtros.");
  });
});

describe("/produtos/novo", () => {
  it("shows problems beside their fields and sends nothing", async () => {
    fakeApi(on("GET", /suppliers/, ok([SUPPLIER], META)));
    await render("/produtos/novo");
    await click(button("Cadastrar produto"));
    expect(byLabel("Nome *").getAttribute("aria-invalid")).toBe("true");
    expect(byLabel("Seção *").getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(`${byLabel("Preço (R$) *").id}-error`)?.textContent).toBe("Preencha este campo.");
    expect(byTestId("product-form-problems")?.textContent).toBe("Confira os campos destacados abaixo.");
    expect(calls.filter((call) => call.method === "POST")).toEqual([]);
  });

  it("creates the product with the typed values and shows the service's field errors", async () => {
    fakeApi(
      on("GET", /suppliers/, ok([SUPPLIER], META)),
      on("POST", /^\/api\/v1\/products$/, {
        status: 409,
        body: {
          status: "error",
          message: "Já existe um produto com este código de barras.",
          code: "duplicate_barcode",
          errors: [{ field: "barcode", message: "Já existe um produto com este código de barras." }],
        },
      }),
    );
    await render("/produtos/novo");
    await type(byLabel("Nome *"), " Feijão carioca ");
    await type(byLabel("Preço (R$) *"), "8,10");
    await type(byLabel("Seção *"), "Mercearia");
    await type(byLabel("Código de barras"), "7891234567895");
    await type(byLabel("Estoque inicial"), "150");
    await click(button("Cadastrar produto"));
    await until(() => byTestId("product-form-error"));
    const post = calls.find((call) => call.method === "POST")!;
    expect(post.body).toEqual({
      name: "Feijão carioca",
      description: null,
      price: 8.1,
      barcode: "7891234567895",
      section: "Mercearia",
      category: null,
      unit: "un",
      seasonality: null,
      expiry_date: null,
      supplier_id: null,
      ideal_quantity: 0,
      active: true,
      initial_stock: 150,
    });
    const barcode = byLabel("Código de barras");
    expect(barcode.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(`${barcode.id}-error`)?.textContent).toBe(
      "Já existe um produto com este código de barras.",
    );
  });
});

describe("/produtos/:id", () => {
  const product = [
    on("GET", /^\/api\/v1\/products\/[^/]+$/, ok(PRODUCT)),
    on("GET", /^\/api\/v1\/stock\/[^/]+$/, ok(LEVEL)),
    on(
      "GET",
      /\/movements$/,
      ok(
        [
          {
            id: 1,
            product_id: PRODUCT_ID,
            delta_on_hand: 0,
            delta_reserved: 4,
            on_hand_after: 15,
            reserved_after: 4,
            available_after: 11,
            cause: "order_reserved",
            order_id: ORDER_ID,
            event_id: null,
            note: null,
            actor: "order-service",
            created_at: "2026-11-02T15:30:00Z",
          },
        ],
        META,
      ),
    ),
    on("GET", /suppliers/, ok([SUPPLIER], META)),
  ];

  it("shows the stock, the ledger with a link to the order, and no delete for staff", async () => {
    fakeApi(...product);
    await render(`/produtos/${PRODUCT_ID}`);
    await until(() => byTestId("product-page"));
    const figures = await until(() => (byTestId("stock-figures")?.dataset.available ? byTestId("stock-figures") : null));
    expect(figures.textContent).toContain("15");
    const movement = await until(() => byTestId("movement-row"));
    expect(movement.textContent).toContain("Reserva de pedido");
    expect(movement.textContent).toContain("02/11/2026");
    expect(movement.querySelector("a")?.getAttribute("href")).toBe(`/pedidos/${ORDER_ID}`);
    expect(byTestId("product-delete")).toBeNull();
    expect((byLabel("Preço (R$) *") as HTMLInputElement).value).toBe("27,90");
  });

  it("checks an adjustment's sign, then shows the service's 409", async () => {
    fakeApi(
      ...product,
      on("POST", /\/adjustments$/, {
        status: 409,
        body: {
          status: "error",
          message: "Estoque livre insuficiente: disponível 11, saída pedida 12.",
          code: "insufficient_stock",
        },
      }),
    );
    await render(`/produtos/${PRODUCT_ID}`);
    await click(await until(() => byTestId("adjust-open")));
    const form = await until(() => byTestId("adjustment"));
    await type(byLabel("Motivo", form) as unknown as HTMLSelectElement, "loss");
    await type(byLabel("Quantidade", form), "12");
    await click(button("Registrar ajuste", form));
    expect(form.textContent).toContain("Perdas devem ser negativas.");
    expect(calls.some((call) => call.method === "POST")).toBe(false);

    await type(byLabel("Quantidade", form), "-12");
    await type(byLabel("Nota", form), " quebra ");
    await click(button("Registrar ajuste", form));
    const refused = await until(() => byTestId("adjustment-error"));
    expect(refused.textContent).toContain("Estoque livre insuficiente: disponível 11, saída pedida 12.");
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ delta: -12, reason: "loss", note: "quebra" });
  });

  it("records a receipt, says so, and reloads the stock and the ledger", async () => {
    fakeApi(
      ...product,
      on("POST", /\/adjustments$/, ok({ stock: { on_hand: 25, reserved: 4, available: 21 }, movement: {} })),
    );
    await render(`/produtos/${PRODUCT_ID}`);
    await click(await until(() => byTestId("adjust-open")));
    const form = await until(() => byTestId("adjustment"));
    await type(byLabel("Quantidade", form), "10");
    await type(byLabel("Nota", form), "NF 1234");
    const before = calls.filter((call) => call.url.pathname.startsWith("/api/v1/stock/")).length;
    await click(button("Registrar ajuste", form));
    await until(() => byTestId("adjustment-done"));
    expect(byTestId("adjustment")).toBeNull();
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({ delta: 10, reason: "receipt", note: "NF 1234" });
    await until(() => calls.filter((call) => call.url.pathname.startsWith("/api/v1/stock/")).length >= before + 2);
  });

  it("lets an admin delete after confirming, and explains a 409", async () => {
    fakeApi(
      ...product,
      on("DELETE", /^\/api\/v1\/products\/[^/]+$/, {
        status: 409,
        body: {
          status: "error",
          message: "O produto tem unidades reservadas para pedidos; cancele ou conclua esses pedidos antes.",
          code: "product_has_reservations",
        },
      }),
    );
    await render(`/produtos/${PRODUCT_ID}`, "admin");
    await click(await until(() => byTestId("product-delete")));
    expect(calls.some((call) => call.method === "DELETE")).toBe(false);
    await click(byTestId("product-delete-yes")!);
    const refused = await until(() => byTestId("product-delete-error"));
    expect(refused.textContent).toContain("unidades reservadas");
    expect(container.textContent).toContain("cancele ou conclua esses pedidos e tente de novo");
  });
});

describe("/fornecedores", () => {
  it("lists suppliers and sends a new one with digits only", async () => {
    fakeApi(
      on("GET", /^\/api\/v1\/suppliers$/, ok([SUPPLIER], META)),
      on("POST", /^\/api\/v1\/suppliers$/, (_, body) => ok({ ...SUPPLIER, ...(body as object), id: "new" })),
    );
    await render("/fornecedores?q=boa");
    const row = await until(() => byTestId("supplier-row"));
    expect(row.textContent).toContain("11.222.333/0001-81");
    expect(calls[0].url.searchParams.get("name")).toBe("boa");

    await click(byTestId("new-supplier")!);
    const form = await until(() => byTestId("supplier-form"));
    await type(byLabel("Razão social ou nome *", form), "Óleos do Sul");
    await type(byLabel("CNPJ *", form), "11.444.777/0001-61");
    await type(byLabel("WhatsApp", form), "(51) 3222-1100");
    await click(button("Cadastrar fornecedor", form));
    await until(() => byTestId("suppliers-notice"));
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({
      name: "Óleos do Sul",
      cnpj: "11444777000161",
      email: null,
      whatsapp: "5132221100",
      notify_whatsapp: true,
      active: true,
    });
  });
});

describe("/fornecedores/:id", () => {
  it("shows the supplier and its orders linked to /pedidos/:id", async () => {
    fakeApi(
      on("GET", /^\/api\/v1\/suppliers\/[^/]+$/, ok(SUPPLIER)),
      on(
        "GET",
        /\/orders$/,
        ok(
          {
            supplier: { id: SUPPLIER_ID, name: "Boa Safra" },
            period: { date_from: null, date_to: null },
            orders: [
              {
                id: ORDER_ID,
                number: 1042,
                type: "sale",
                client_id: "c",
                client_name: "Escola Municipal",
                supplier_id: null,
                status: "pending",
                stock_status: "reserved",
                order_version: 1,
                total: 405.96,
                item_count: 2,
                notes: null,
                desired_delivery_date: null,
                cancel_reason: null,
                created_by: "u",
                created_at: "2026-11-02T12:00:00Z",
                updated_at: "2026-11-02T12:00:00Z",
                approved_at: null,
              },
            ],
            summary: { total_orders: 21, total_value: 405.96, clients_served: 1, products_supplied: 2 },
          },
          META,
        ),
      ),
    );
    await render(`/fornecedores/${SUPPLIER_ID}`);
    const row = await until(() => byTestId("supplier-order-row"));
    expect(row.querySelector("a")?.getAttribute("href")).toBe(`/pedidos/${ORDER_ID}`);
    expect(row.textContent).toContain("Pendente");
    expect(byTestId("supplier-orders-pager")?.textContent).toContain("Página 1 de 2");
  });
});

describe("/reposicao", () => {
  it("simulates, reviews, then confirms for real and links the orders created", async () => {
    const line = {
      product_id: PRODUCT_ID,
      name: PRODUCT.name,
      available: 11,
      ideal_quantity: 80,
      quantity: 69,
      unit_price: 27.9,
      line_total: 1925.1,
    };
    const planned = (simulate: boolean) => ({
      simulated: simulate,
      threshold_percent: 30,
      section: "Mercearia",
      total_analyzed: 12,
      low_stock_items: 2,
      orders_created: simulate ? 0 : 1,
      details: [
        {
          order_id: simulate ? null : ORDER_ID,
          number: simulate ? null : 1200,
          supplier_id: SUPPLIER_ID,
          supplier_name: "Boa Safra",
          items: [line],
          total: 1925.1,
        },
      ],
      already_on_open_orders: [],
      not_processed: [{ product_id: "p2", name: "Sal", reason: "Produto sem fornecedor." }],
      total_value: 1925.1,
    });
    fakeApi(on("POST", /low-stock$/, (_, body) => ok(planned((body as { simulate: boolean }).simulate))));
    await render("/reposicao");
    await type(byLabel("Limite (% do ideal)"), "30");
    await type(byLabel("Seção"), " Mercearia ");
    await click(byTestId("replenishment-simulate")!);
    const review = await until(() => byTestId("replenishment-plan"));
    expect(review.textContent).toContain("Produto sem fornecedor.");
    expect(review.querySelectorAll('[data-testid="planned-line"]')).toHaveLength(1);
    expect(calls[0].body).toEqual({ threshold_percent: 30, section: "Mercearia", simulate: true });

    await click(byTestId("replenishment-confirm")!);
    const created = await until(() => byTestId("replenishment-created"));
    expect(created.dataset.created).toBe("1");
    expect(calls[1].body).toEqual({ threshold_percent: 30, section: "Mercearia", simulate: false });
    expect(byTestId("replenishment-orders")?.querySelector("a")?.getAttribute("href")).toBe(`/pedidos/${ORDER_ID}`);
  });

  it("explains when there is nothing to create", async () => {
    fakeApi(
      on("POST", /low-stock$/, ok({
        simulated: true,
        threshold_percent: 20,
        section: null,
        total_analyzed: 40,
        low_stock_items: 0,
        orders_created: 0,
        details: [],
        already_on_open_orders: [],
        not_processed: [],
        total_value: 0,
      })),
    );
    await render("/reposicao");
    await click(byTestId("replenishment-simulate")!);
    const nothing = await until(() => byTestId("replenishment-nothing"));
    expect(nothing.textContent).toBe("Nenhum produto está abaixo do limite: não há nada a repor.");
    expect(byTestId("replenishment-confirm")).toBeNull();
  });
});
