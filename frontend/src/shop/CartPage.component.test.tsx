/**
 * The cart page as a customer uses it: quantities change the line totals and the total
 * (in whole cents, written the Brazilian way), and a 409 with shortages shows each shortage
 * on its line, which "Ajustar ao disponível" brings down to what is free.
 */
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { ok, on, plain, refusal, stubFetch, type SentRequest } from "../test/fetchStub";
import { CLIENT, renderWithProviders } from "../test/render";
import { CartPage } from "./CartPage";
import { cartKey, loadCart } from "./cartStorage";

const RICE = "5b0c2d8e-8a61-4f0e-9d3c-1f2a3b4c5d6e";
const MILK = "6c1d3e9f-9b72-4a1f-8e4d-2a3b4c5d6e7f";

const rice = { id: RICE, name: "Arroz branco tipo 1", unit: "kg", price: 27.9, available: 10 };
const milk = { id: MILK, name: "Leite integral", unit: "l", price: 4.65, available: 50 };

/** The products as GET /products/{id} answers now (the cart page reads them again). */
const PRODUCTS = on("GET", /^\/products\/[^/]+$/, (request: SentRequest) => {
  const product = [rice, milk].find((item) => request.path.endsWith(item.id))!;
  return ok({ ...product, active: true, stock: { available: product.available } });
});

function storeCart(lines: { product: typeof rice; quantity: number }[]) {
  localStorage.setItem(cartKey(CLIENT.id), JSON.stringify({ v: 1, lines, notes: "", attempt: null }));
}

const total = () => plain(screen.getByTestId("shop-cart-total").textContent);
const line = (name: string) =>
  within(screen.getByRole("list", { name: "Itens do carrinho" }))
    .getAllByRole("listitem")
    .find((item) => within(item).queryByRole("group", { name: `Quantidade de ${name}` }))!;
const lineTotal = (name: string) => plain(within(line(name)).getByText(/^Subtotal/).parentElement?.textContent);

function renderCart() {
  return renderWithProviders(<CartPage />, { url: "/loja/carrinho", path: "/loja/carrinho", user: CLIENT });
}

beforeAll(async () => {
  await setLanguage("pt-BR");
});

beforeEach(() => {
  localStorage.clear();
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe("CartPage", () => {
  it("adds the lines in cents: 2 × R$ 27,90 + 12 × R$ 4,65 is R$ 111,60", async () => {
    stubFetch(PRODUCTS);
    storeCart([
      { product: rice, quantity: 2 },
      { product: milk, quantity: 12 },
    ]);
    renderCart();
    // 4.65 × 12 in floating point is 55.800000000000004: the page counts cents.
    expect(lineTotal("Leite integral")).toBe("Subtotal: R$ 55,80");
    expect(lineTotal("Arroz branco tipo 1")).toBe("Subtotal: R$ 55,80");
    expect(total()).toBe("R$ 111,60");
  });

  it("changes the total as quantities go up, down or are typed", async () => {
    stubFetch(PRODUCTS);
    storeCart([
      { product: rice, quantity: 2 },
      { product: milk, quantity: 12 },
    ]);
    const { user } = renderCart();

    await user.click(screen.getByRole("button", { name: "Aumentar a quantidade de Arroz branco tipo 1" }));
    expect(screen.getByRole("spinbutton", { name: "Quantidade de Arroz branco tipo 1" })).toHaveProperty("value", "3");
    expect(lineTotal("Arroz branco tipo 1")).toBe("Subtotal: R$ 83,70");
    expect(total()).toBe("R$ 139,50");

    const milkQuantity = screen.getByRole("spinbutton", { name: "Quantidade de Leite integral" });
    await user.clear(milkQuantity);
    await user.type(milkQuantity, "3");
    expect(lineTotal("Leite integral")).toBe("Subtotal: R$ 13,95");
    expect(total()).toBe("R$ 97,65");

    await user.click(screen.getByRole("button", { name: "Diminuir a quantidade de Leite integral" }));
    expect(total()).toBe("R$ 93,00");
    // Typed beyond what is free: the most there is.
    await user.clear(milkQuantity);
    await user.type(milkQuantity, "80");
    expect(milkQuantity).toHaveProperty("value", "50");
    expect(total()).toBe("R$ 316,20");

    await user.click(within(line("Arroz branco tipo 1")).getByRole("button", { name: /^Remover/ }));
    expect(total()).toBe("R$ 232,50");
    expect(loadCart(localStorage, CLIENT.id).lines.map((kept) => [kept.product.id, kept.quantity])).toEqual([[MILK, 50]]);
  });

  it("shows a 409's shortage on its line, and 'Ajustar ao disponível' lowers the line to what is free", async () => {
    const sent = stubFetch(
      PRODUCTS,
      on(
        "POST",
        "/orders",
        refusal(409, "Estoque insuficiente para alguns itens.", {
          code: "insufficient_stock",
          data: {
            shortages: [{ product_id: RICE, product_name: rice.name, requested: 3, available: 1 }],
          },
        }),
      ),
    );
    storeCart([
      { product: rice, quantity: 3 },
      { product: milk, quantity: 12 },
    ]);
    const { user } = renderCart();
    expect(total()).toBe("R$ 139,50");
    // Wait for the newest reading of the products before ordering.
    await waitFor(() => expect(sent.filter((request) => request.path.startsWith("/products/"))).toHaveLength(2));

    await user.click(screen.getByRole("button", { name: "Fazer pedido" }));
    const riceQuantity = screen.getByRole("spinbutton", { name: "Quantidade de Arroz branco tipo 1" });
    await waitFor(() => expect(riceQuantity.getAttribute("aria-invalid")).toBe("true"));

    const post = sent.find((request) => request.method === "POST");
    expect(post?.body).toEqual({
      items: [
        { product_id: RICE, quantity: 3 },
        { product_id: MILK, quantity: 12 },
      ],
    });
    expect(post?.headers["Idempotency-Key"]).toMatch(/\S/);

    expect(within(line("Arroz branco tipo 1")).getByText(
      "Estoque insuficiente: você pediu 3 kg; disponível: 1 kg.",
    )).toBeTruthy();
    expect(within(line("Leite integral")).queryByText(/Estoque insuficiente/)).toBeNull();
    expect(screen.getByRole("alert").textContent).toContain("Alguns itens não têm estoque suficiente.");

    await user.click(screen.getByRole("button", { name: "Ajustar ao disponível" }));
    expect(riceQuantity).toHaveProperty("value", "1");
    expect(riceQuantity.getAttribute("aria-invalid")).toBeNull();
    expect(screen.queryByText(/Estoque insuficiente: você pediu/)).toBeNull();
    expect(screen.queryByRole("button", { name: "Ajustar ao disponível" })).toBeNull();
    expect(total()).toBe("R$ 83,70");
    expect(loadCart(localStorage, CLIENT.id).lines.map((kept) => kept.quantity)).toEqual([1, 12]);
  });
});
