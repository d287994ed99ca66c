/**
 * The product form as people use it: what they type is checked beside each field, a valid
 * form sends the stock service's body, and the service's field errors come back beside the
 * fields they name.
 */
import { cleanup, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";

import { setLanguage } from "../i18n";
import { ok, on, refusal, stubFetch } from "../test/fetchStub";
import { descriptionOf, renderWithProviders } from "../test/render";
import { ProductForm } from "./ProductForm";
import type { Product } from "./types";

const PRODUCT_ID = "11111111-1111-4111-8111-111111111111";
const SUPPLIERS = on("GET", "/suppliers", ok([], { page: 1, page_size: 20, total: 0, pages: 1 }));

const SAVED: Product = {
  id: PRODUCT_ID,
  name: "Feijão carioca",
  description: null,
  price: 8.1,
  barcode: null,
  section: "Mercearia",
  category: null,
  unit: "kg",
  seasonality: null,
  expiry_date: null,
  supplier_id: null,
  supplier_name: null,
  ideal_quantity: 40,
  active: true,
  created_at: "2026-11-01T12:00:00Z",
  updated_at: "2026-11-01T12:00:00Z",
} as Product;

const field = (name: string) => screen.getByRole("textbox", { name });
const number = (name: string) => screen.getByRole("spinbutton", { name });

beforeAll(async () => {
  await setLanguage("pt-BR");
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("ProductForm (new product)", () => {
  it("shows a price with three decimals, a blank name and a broken quantity beside their fields and sends nothing", async () => {
    const sent = stubFetch(SUPPLIERS);
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<ProductForm onSaved={onSaved} />);

    await user.type(field("Preço (R$) *"), "27,905");
    await user.type(field("Seção *"), "Mercearia");
    await user.clear(number("Estoque inicial"));
    await user.type(number("Estoque inicial"), "1.5");
    await user.click(screen.getByRole("button", { name: "Cadastrar produto" }));

    const price = field("Preço (R$) *");
    expect(price).toHaveProperty("ariaInvalid", "true");
    expect(descriptionOf(price)).toContain("Use no máximo duas casas decimais.");
    expect(descriptionOf(field("Nome *"))).toBe("Preencha este campo.");
    expect(descriptionOf(number("Estoque inicial"))).toContain("Informe um número inteiro, zero ou maior.");
    // A field without a problem is not marked.
    expect(field("Seção *").getAttribute("aria-invalid")).toBeNull();
    expect(screen.getByRole("alert")).toHaveProperty("textContent", "Confira os campos destacados abaixo.");
    expect(sent.filter((request) => request.method === "POST")).toEqual([]);
    expect(onSaved).not.toHaveBeenCalled();
  });

  it("says a price of zero or one that is not a number is wrong", async () => {
    stubFetch(SUPPLIERS);
    const { user } = renderWithProviders(<ProductForm onSaved={() => {}} />);
    const price = field("Preço (R$) *");
    await user.type(price, "0,00");
    await user.click(screen.getByRole("button", { name: "Cadastrar produto" }));
    expect(descriptionOf(price)).toContain("O preço deve ser maior que zero.");

    await user.clear(price);
    await user.type(price, "dez reais");
    await user.click(screen.getByRole("button", { name: "Cadastrar produto" }));
    expect(descriptionOf(price)).toContain("Informe o preço em reais, por exemplo 27,90.");
  });

  it("sends POST /products with the typed values, trimmed and with blanks as null", async () => {
    const sent = stubFetch(SUPPLIERS, on("POST", "/products", { status: 201, ...ok(SAVED) }));
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<ProductForm onSaved={onSaved} />);

    await user.type(field("Nome *"), "  Feijão carioca ");
    await user.type(field("Preço (R$) *"), "1.234,5");
    await user.selectOptions(screen.getByRole("combobox", { name: "Unidade *" }), "kg");
    await user.type(field("Seção *"), "Mercearia");
    await user.type(field("Categoria"), "Grãos");
    await user.clear(number("Quantidade ideal"));
    await user.type(number("Quantidade ideal"), "40");
    await user.clear(number("Estoque inicial"));
    await user.type(number("Estoque inicial"), "150");
    await user.click(screen.getByRole("checkbox", { name: "Ativo (pode ser pedido)" }));
    await user.click(screen.getByRole("button", { name: "Cadastrar produto" }));

    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(SAVED, true));
    const post = sent.find((request) => request.method === "POST");
    expect(post?.path).toBe("/products");
    expect(post?.headers["Content-Type"]).toBe("application/json");
    expect(post?.body).toEqual({
      name: "Feijão carioca",
      description: null,
      price: 1234.5,
      barcode: null,
      section: "Mercearia",
      category: "Grãos",
      unit: "kg",
      seasonality: null,
      expiry_date: null,
      supplier_id: null,
      ideal_quantity: 40,
      active: false,
      initial_stock: 150,
    });
  });

  it("shows the service's 400 field errors beside those fields, and others above the form", async () => {
    stubFetch(
      SUPPLIERS,
      on(
        "POST",
        "/products",
        refusal(400, "Dados inválidos.", {
          errors: [
            { field: "barcode", message: "Dígito verificador do código de barras inválido." },
            { field: "price", message: "O preço deve ter no máximo 2 casas decimais." },
            { field: "warehouse", message: "Campo desconhecido." },
          ],
        }),
      ),
    );
    const { user } = renderWithProviders(<ProductForm onSaved={() => {}} />);
    await user.type(field("Nome *"), "Arroz");
    await user.type(field("Preço (R$) *"), "27,90");
    await user.type(field("Seção *"), "Mercearia");
    await user.type(field("Código de barras"), "7891234567890");
    await user.click(screen.getByRole("button", { name: "Cadastrar produto" }));

    const barcode = field("Código de barras");
    await waitFor(() => expect(barcode.getAttribute("aria-invalid")).toBe("true"));
    expect(descriptionOf(barcode)).toContain("Dígito verificador do código de barras inválido.");
    expect(descriptionOf(field("Preço (R$) *"))).toContain("O preço deve ter no máximo 2 casas decimais.");
    expect(field("Nome *").getAttribute("aria-invalid")).toBeNull();
    const alert = screen.getByTestId("product-form-error");
    expect(alert.textContent).toContain("Dados inválidos.");
    // A field the form does not show goes above it, named.
    expect(screen.getByText("warehouse: Campo desconhecido.")).toBeTruthy();
  });
});

describe("ProductForm (saved product)", () => {
  it("sends only what changed with PUT, and nothing when nothing changed", async () => {
    const sent = stubFetch(
      SUPPLIERS,
      on("PUT", `/products/${PRODUCT_ID}`, ({ body }) => ok({ ...SAVED, ...(body as object) })),
    );
    const onSaved = vi.fn();
    const { user } = renderWithProviders(<ProductForm product={SAVED} onSaved={onSaved} />);
    expect(field("Preço (R$) *")).toHaveProperty("value", "8,10");
    // The initial stock is only asked when creating.
    expect(screen.queryByRole("spinbutton", { name: "Estoque inicial" })).toBeNull();

    await user.click(screen.getByRole("button", { name: "Salvar alterações" }));
    expect(screen.getByRole("status").textContent).toBe("Nada foi alterado.");
    expect(sent.some((request) => request.method === "PUT")).toBe(false);

    await user.clear(field("Preço (R$) *"));
    await user.type(field("Preço (R$) *"), "8,49");
    await user.click(screen.getByRole("button", { name: "Salvar alterações" }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    expect(sent.find((request) => request.method === "PUT")?.body).toEqual({ price: 8.49 });
    expect(onSaved.mock.calls[0][1]).toBe(false);
  });
});
