/**
 * The pages against a stubbed API (fetch): what they ask, what they show, what they send.
 * Plain react-dom + act, no extra testing library.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, type ReactElement } from "react";
import { createRoot, type Root } from "react-dom/client";
import { MemoryRouter, Route, Routes } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import "../i18n";
import { SessionContext } from "../auth/SessionContext";
import type { User } from "../auth/session";
import type { Session } from "../auth/useSession";
import { ClientsPage } from "./ClientsPage";
import { SupplierOrderPage } from "./SupplierOrderPage";
import { UsersPage } from "./UsersPage";

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

interface Call {
  method: string;
  path: string;
  body: unknown;
}

type Reply = { status?: number; body: unknown };
type Handler = (call: Call) => Reply | undefined;

let calls: Call[] = [];
let container: HTMLDivElement;
let root: Root;

function stubApi(handler: Handler) {
  vi.stubGlobal(
    "fetch",
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const call: Call = {
        method: init?.method ?? "GET",
        path: `${url.pathname.replace(/^\/api\/v1/, "")}${url.search}`,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
      };
      calls.push(call);
      const reply = handler(call) ?? { status: 404, body: { status: "error", message: "Não encontrado.", code: "not_found" } };
      return new Response(JSON.stringify(reply.body), {
        status: reply.status ?? 200,
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
}

const ok = (data: unknown, meta?: unknown) => ({ body: { status: "success", message: "ok", data, meta } });

function render(element: ReactElement, { path, url, user }: { path: string; url: string; user: User }) {
  const session: Session = {
    state: { status: "authenticated", user },
    login: async () => {},
    logout: async () => {},
  };
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  act(() => {
    root.render(
      <QueryClientProvider client={client}>
        <SessionContext.Provider value={session}>
          <MemoryRouter initialEntries={[url]}>
            <Routes>
              <Route path={path} element={element} />
            </Routes>
          </MemoryRouter>
        </SessionContext.Provider>
      </QueryClientProvider>,
    );
  });
}

async function waitFor<T>(find: () => T | null | undefined | false, what = "element"): Promise<T> {
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
const buttonNamed = (name: string) =>
  Array.from(container.querySelectorAll("button")).find((button) => button.textContent?.trim() === name);

function type(input: HTMLInputElement | HTMLTextAreaElement, value: string) {
  const prototype = input instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  act(() => {
    Object.getOwnPropertyDescriptor(prototype, "value")?.set?.call(input, value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

function click(element: HTMLElement) {
  act(() => {
    element.click();
  });
}

beforeEach(() => {
  calls = [];
  container = document.createElement("div");
  document.body.appendChild(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
  vi.unstubAllGlobals();
});

const admin: User = { id: "admin-1", name: "Root", email: "root@x.br", role: "admin" };
const supplierUser: User = { id: "sup-user", name: "Fornecedor", email: "f@x.br", role: "supplier", supplier_id: "s-1" };

const order = {
  id: "o-1",
  number: 42,
  type: "replenishment",
  status: "processing",
  total: 150,
  items: [
    { id: "i-1", product_name: "Arroz 5 kg", unit: "pct", quantity: 10, unit_price: 15, line_total: 150 },
  ],
  status_history: [
    { from: null, to: "pending", at: "2026-03-01T12:00:00Z", by: "system", by_role: "service", note: null },
    { from: "approved", to: "processing", at: "2026-03-02T12:00:00Z", by: "sup-user", by_role: "supplier", note: "Separando" },
  ],
  allowed_transitions: ["shipped"],
};

describe("the supplier's order", () => {
  it("offers exactly the API's allowed transitions and sends {status, note}", async () => {
    let current: typeof order = order;
    stubApi((call) => {
      if (call.method === "GET" && call.path === "/orders/o-1") {
        return ok(current);
      }
      if (call.method === "PUT" && call.path === "/orders/o-1") {
        current = { ...order, status: "shipped", allowed_transitions: ["delivered"] };
        return ok(current);
      }
      return undefined;
    });
    render(<SupplierOrderPage />, { path: "/fornecedor/pedidos/:id", url: "/fornecedor/pedidos/o-1", user: supplierUser });

    const moves = await waitFor(() => byTestId("supplier-moves"), "moves");
    const buttons = Array.from(moves.querySelectorAll("button")).map((button) => button.dataset.testid);
    expect(buttons).toEqual(["supplier-move-shipped"]);
    expect(byTestId("supplier-order-items")?.textContent).toContain("Arroz 5 kg");
    expect(byTestId("supplier-order-history")?.textContent).toContain("Separando");

    type(moves.querySelector("textarea") as HTMLTextAreaElement, " NF 991 ");
    click(byTestId("supplier-move-shipped") as HTMLElement);
    await waitFor(() => byTestId("supplier-move-delivered"), "next move");
    expect(calls.find((call) => call.method === "PUT")?.body).toEqual({ status: "shipped", note: "NF 991" });
    expect(byTestId("supplier-move-shipped")).toBeNull();
    expect(byTestId("supplier-order-status")?.textContent).toBe("Enviado");
    expect(calls.filter((call) => call.method === "GET")).toHaveLength(1); // the answer was enough
  });

  it("shows no buttons when the API allows none", async () => {
    stubApi((call) => (call.path === "/orders/o-1" ? ok({ ...order, type: "sale", allowed_transitions: [] }) : undefined));
    render(<SupplierOrderPage />, { path: "/fornecedor/pedidos/:id", url: "/fornecedor/pedidos/o-1", user: supplierUser });
    await waitFor(() => byTestId("supplier-no-moves"), "no moves");
    expect(container.querySelectorAll("[data-testid^='supplier-move-']")).toHaveLength(0);
  });
});

describe("the clients page", () => {
  const page = [{ id: "c-1", name: "Escola Aurora", email: "a@escola.br", document: "11222333000181", phone: null, notify_whatsapp: false }];

  it("asks for the URL's filters and lists the clients", async () => {
    stubApi((call) => (call.path.startsWith("/clients?") ? ok(page, { page: 2, pages: 3, total: 41, page_size: 20 }) : undefined));
    render(<ClientsPage />, { path: "/clientes", url: "/clientes?name=Escola&page=2", user: admin });
    await waitFor(() => byTestId("clients-table"), "table");
    expect(calls[0].path).toBe("/clients?name=Escola&page=2&page_size=20");
    expect(byTestId("clients-table")?.textContent).toContain("11.222.333/0001-81");
    expect(container.textContent).toContain("Página 2 de 3");
  });

  it("checks the CPF/CNPJ before sending, then shows the API's refusal beside its field", async () => {
    stubApi((call) => {
      if (call.method === "GET") {
        return ok([], { page: 1, pages: 0, total: 0, page_size: 20 });
      }
      return {
        status: 409,
        body: {
          status: "error",
          code: "duplicate",
          message: "Já existe um cliente com estes dados.",
          errors: [{ field: "email", message: "E-mail já cadastrado." }],
        },
      };
    });
    render(<ClientsPage />, { path: "/clientes", url: "/clientes", user: admin });
    await waitFor(() => byTestId("clients-empty"), "empty state");
    click(byTestId("client-new") as HTMLElement);

    type(byTestId("client-name") as HTMLInputElement, "Escola Aurora");
    type(byTestId("client-email") as HTMLInputElement, "a@escola.br");
    type(byTestId("client-document") as HTMLInputElement, "529.982.247-24");
    click(byTestId("client-save") as HTMLElement);
    const document = byTestId("client-document") as HTMLInputElement;
    expect(document.getAttribute("aria-invalid")).toBe("true");
    const describedBy = document.getAttribute("aria-describedby")?.split(" ") ?? [];
    expect(describedBy.map((id) => window.document.getElementById(id)?.textContent).join(" ")).toContain(
      "CPF inválido",
    );
    expect(calls.filter((call) => call.method === "POST")).toHaveLength(0);

    type(document, "529.982.247-25");
    click(byTestId("client-save") as HTMLElement);
    const email = byTestId("client-email") as HTMLInputElement;
    await waitFor(() => email.getAttribute("aria-invalid") === "true", "email error");
    expect(calls.find((call) => call.method === "POST")?.body).toEqual({
      name: "Escola Aurora",
      email: "a@escola.br",
      document: "52998224725",
      phone: null,
      address: null,
      notify_whatsapp: true,
    });
    expect(container.textContent).toContain("E-mail já cadastrado.");
    expect(byTestId("client-form-error")?.textContent).toContain("Já existe um cliente com estes dados.");
  });
});

describe("the users page", () => {
  it("asks before the admin takes away its own admin role, and shows the API's refusal", async () => {
    stubApi((call) => {
      if (call.method === "GET" && call.path.startsWith("/auth/users?")) {
        return ok([{ ...admin, active: true }], { page: 1, pages: 1, total: 1, page_size: 20 });
      }
      if (call.method === "PATCH") {
        return {
          status: 409,
          body: {
            status: "error",
            code: "admin_lockout",
            message: "Você não pode remover o seu próprio acesso de administrador.",
          },
        };
      }
      return undefined;
    });
    render(<UsersPage />, { path: "/usuarios", url: "/usuarios?role=admin", user: admin });
    await waitFor(() => byTestId("users-table"), "users");
    expect(calls[0].path).toBe("/auth/users?role=admin&page=1&page_size=20");

    click(buttonNamed("Editar") as HTMLElement);
    const role = byTestId("user-role") as HTMLSelectElement;
    act(() => {
      role.value = "staff";
      role.dispatchEvent(new Event("change", { bubbles: true }));
    });
    expect(byTestId("user-self-warning")).not.toBeNull();
    click(byTestId("user-save") as HTMLElement);
    await waitFor(() => byTestId("user-self-dialog"), "confirmation");
    expect(calls.filter((call) => call.method === "PATCH")).toHaveLength(0);

    click(buttonNamed("Sim, alterar a minha conta") as HTMLElement);
    await waitFor(() => byTestId("user-form-error"), "refusal");
    expect(calls.find((call) => call.method === "PATCH")?.body).toEqual({ role: "staff" });
    expect(byTestId("user-form-error")?.textContent).toContain("Você não pode remover");
  });
});
