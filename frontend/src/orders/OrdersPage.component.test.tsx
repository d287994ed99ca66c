/**
 * The orders list as staff use it: the rows of GET /orders, the sortable headers (the URL
 * and the request follow them), and choosing rows, which opens the bulk status change.
 */
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { ok, on, plain, stubFetch, type SentRequest } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { OrdersPage } from "./OrdersPage";

const FIRST = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
const SECOND = "1b2c3d4e-5f60-4a7b-8c9d-0e1f2a3b4c5d";

const ORDERS = [
  {
    id: FIRST,
    number: 1042,
    type: "sale",
    status: "pending",
    stock_status: "reserved",
    total: 120.73,
    item_count: 2,
    client_name: "Escola Municipal Monteiro Lobato",
    created_at: "2026-12-07T14:05:00Z",
  },
  {
    id: SECOND,
    number: 1043,
    type: "replenishment",
    status: "approved",
    stock_status: "not_applicable",
    total: 1500,
    item_count: 12,
    client_name: null,
    items: [{ supplier_name: "Boa Safra" }],
    created_at: "2026-12-06T09:00:00Z",
  },
];

const LIST = on("GET", "/orders", ok(ORDERS, { page: 1, page_size: 20, total: 2, pages: 1 }));
const lists = (sent: SentRequest[]) => sent.filter((request) => request.method === "GET" && request.path === "/orders");
const rows = () => within(screen.getByRole("table")).getAllByRole("row").slice(1);

function renderPage(url = "/pedidos") {
  return renderWithProviders(<OrdersPage />, { url, path: "/pedidos" });
}

beforeAll(async () => {
  await setLanguage("pt-BR");
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("OrdersPage table", () => {
  it("lists the stubbed orders, one row each, with their party, status and total", async () => {
    const sent = stubFetch(LIST);
    renderPage();
    await screen.findByRole("link", { name: "nº 1042" });

    expect(rows()).toHaveLength(2);
    const [first, second] = rows();
    expect(within(first).getByRole("link", { name: "nº 1042" }).getAttribute("href")).toBe(`/pedidos/${FIRST}`);
    expect(within(first).getByText("Escola Municipal Monteiro Lobato")).toBeTruthy();
    expect(within(first).getByText("Pendente")).toBeTruthy();
    expect(plain(within(first).getAllByRole("cell").at(-1)?.textContent)).toBe("R$ 120,73");
    // A replenishment names its supplier.
    expect(within(second).getByText("Boa Safra")).toBeTruthy();
    expect(within(second).getByText("Reposição")).toBeTruthy();
    expect(plain(within(second).getAllByRole("cell").at(-1)?.textContent)).toBe("R$ 1.500,00");
    expect(screen.getByTestId("orders-count").textContent).toBe("Página 1 de 1 · 2 pedidos");

    expect(lists(sent)[0].query).toEqual({ sort: "-created_at", page: "1", page_size: "20", with_details: "true" });
    expect(screen.getByRole("columnheader", { name: /Criado em/ }).getAttribute("aria-sort")).toBe("descending");
  });

  it("sorts by a header: the URL and the request change, highest first then lowest, back to page 1", async () => {
    const sent = stubFetch(LIST);
    const { user, location } = renderPage("/pedidos?status=pending&page=3");
    await screen.findByRole("link", { name: "nº 1042" });
    expect(lists(sent)[0].query).toMatchObject({ status: "pending", page: "3", sort: "-created_at" });

    const total = screen.getByRole("columnheader", { name: /Total/ });
    expect(total.getAttribute("aria-sort")).toBe("none");
    await user.click(within(total).getByRole("button", { name: "Total" }));
    expect(location()).toBe("/pedidos?status=pending&sort=-total");
    await waitFor(() => expect(lists(sent).at(-1)?.query).toMatchObject({ status: "pending", sort: "-total", page: "1" }));
    expect(screen.getByRole("columnheader", { name: /Total/ }).getAttribute("aria-sort")).toBe("descending");

    await user.click(screen.getByRole("button", { name: "Total" }));
    expect(location()).toBe("/pedidos?status=pending&sort=total");
    await waitFor(() => expect(lists(sent).at(-1)?.query.sort).toBe("total"));
    expect(screen.getByRole("columnheader", { name: /Total/ }).getAttribute("aria-sort")).toBe("ascending");

    await user.click(screen.getByRole("button", { name: "Nº" }));
    expect(location()).toBe("/pedidos?status=pending&sort=-number");
  });

  it("offers the bulk change only once rows are chosen, and enables it once a status is chosen", async () => {
    const sent = stubFetch(
      LIST,
      on("PUT", "/orders/status", {
        body: {
          status: "success",
          message: "ok",
          data: {
            updated: 1,
            not_found: [],
            details: [{ order_id: FIRST, number: 1042, previous_status: "pending", new_status: "approved", total: 120.73 }],
            failed: [],
            total_value_approved: 120.73,
          },
        },
      }),
    );
    const { user } = renderPage();
    await screen.findByRole("link", { name: "nº 1042" });
    expect(screen.getByText("Marque pedidos na lista para mudar o status de vários de uma vez.")).toBeTruthy();
    expect(screen.queryByRole("button", { name: /^Aplicar/ })).toBeNull();

    await user.click(screen.getByRole("checkbox", { name: "Selecionar o pedido nº 1042" }));
    expect(screen.getByText("1 pedido selecionado")).toBeTruthy();
    const pageBox = screen.getByRole("checkbox", { name: "Selecionar todos os pedidos desta página" }) as HTMLInputElement;
    expect(pageBox.indeterminate).toBe(true);
    const apply = screen.getByRole("button", { name: "Aplicar a 1 pedido" });
    expect(apply).toHaveProperty("disabled", true);

    await user.selectOptions(screen.getByRole("combobox", { name: "Novo status" }), "Aprovado");
    expect(apply).toHaveProperty("disabled", false);

    await user.click(pageBox);
    expect(pageBox.checked).toBe(true);
    expect(screen.getByText("2 pedidos selecionados")).toBeTruthy();
    await user.click(screen.getByRole("checkbox", { name: "Selecionar o pedido nº 1043" }));
    expect(screen.getByText("1 pedido selecionado")).toBeTruthy();

    await user.click(screen.getByRole("button", { name: "Aplicar a 1 pedido" }));
    await screen.findByTestId("bulk-result");
    expect(sent.find((request) => request.method === "PUT")?.body).toEqual({
      order_ids: [FIRST],
      new_status: "approved",
    });
    expect(plain(screen.getByTestId("bulk-approved-value").textContent)).toContain("R$ 120,73");
  });

  it("clears the selection with the bar's button", async () => {
    stubFetch(LIST);
    const { user } = renderPage();
    await screen.findByRole("link", { name: "nº 1042" });
    await user.click(screen.getByRole("checkbox", { name: "Selecionar todos os pedidos desta página" }));
    expect(screen.getByText("2 pedidos selecionados")).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Limpar seleção" }));
    expect(screen.queryByText(/selecionados?$/)).toBeNull();
    expect(screen.getByRole("checkbox", { name: "Selecionar o pedido nº 1042" })).toHaveProperty("checked", false);
  });
});
