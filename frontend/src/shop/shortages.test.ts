import { describe, expect, it } from "vitest";

import { ApiError } from "../api/client";
import type { CartLine } from "./cart";
import {
  adjustToAvailable,
  lineErrors,
  readShortageList,
  shortLines,
  shortageFor,
  shortageOnLine,
  shortagesOf,
  splitFieldErrors,
} from "./shortages";

const rice = { id: "p-rice", name: "Arroz 5 kg", unit: "pct", price: 27.9, available: 40 };
const beans = { id: "p-beans", name: "Feijão", unit: "pct", price: 8.5, available: 10 };
const oil = { id: "p-oil", name: "Óleo", unit: "un", price: 9.99, available: 5 };
const lines: CartLine[] = [
  { product: rice, quantity: 40 },
  { product: beans, quantity: 3 },
  { product: oil, quantity: 5 },
];

/** The order service's 409 for a cart whose stock ran short (examples.INSUFFICIENT_STOCK). */
function insufficient(shortages: unknown[]): ApiError {
  return new ApiError("Estoque insuficiente: Arroz 5 kg (pedido 40, disponível 30). Nada foi gravado.", {
    status: 409,
    code: "insufficient_stock",
    data: { shortages },
  });
}

const refusal = insufficient([
  { product_id: "p-rice", product_name: "Arroz 5 kg", requested: 40, available: 30 },
  { product_id: "p-oil", product_name: "Óleo", requested: 5, available: 0 },
]);

describe("reading a refusal's shortages", () => {
  it("reads them from a 409's data", () => {
    expect(shortagesOf(refusal)).toEqual([
      { productId: "p-rice", productName: "Arroz 5 kg", requested: 40, available: 30 },
      { productId: "p-oil", productName: "Óleo", requested: 5, available: 0 },
    ]);
  });

  it("finds none in other errors or in malformed data", () => {
    expect(shortagesOf(new ApiError("x", { status: 400, code: "validation_error", data: refusal.data }))).toEqual([]);
    expect(shortagesOf(new Error("boom"))).toEqual([]);
    expect(shortagesOf(null)).toEqual([]);
    expect(shortagesOf(new ApiError("x", { status: 409, code: "illegal_transition" }))).toEqual([]);
    expect(readShortageList([{ product_id: 3 }, { product_id: "p", requested: "x", available: 1 }, "lixo"])).toEqual([]);
    expect(readShortageList({ product_id: "p" })).toEqual([]);
  });

  it("never reads a negative availability", () => {
    expect(readShortageList([{ product_id: "p", requested: 2, available: -1 }])[0].available).toBe(0);
  });
});

describe("shortages on cart lines", () => {
  const shortages = shortagesOf(refusal);

  it("puts each shortage on its product's line", () => {
    expect(shortageFor(shortages, "p-rice")?.available).toBe(30);
    expect(shortageOnLine(lines[0], shortages)).toMatchObject({ requested: 40, available: 30 });
    expect(shortageOnLine(lines[1], shortages)).toBeUndefined();
    expect(shortLines(lines, shortages).map(({ line }) => line.product.id)).toEqual(["p-rice", "p-oil"]);
  });

  it("stops showing a shortage once the line asks for no more than is free", () => {
    const lowered = { ...lines[0], quantity: 30 };
    expect(shortageOnLine(lowered, shortages)).toBeUndefined();
  });

  it("adjusts short lines to what is free and removes those with nothing free", () => {
    const adjusted = adjustToAvailable(lines, shortages);
    expect(adjusted).toEqual([
      { product: { ...rice, available: 30 }, quantity: 30 },
      { product: beans, quantity: 3 },
    ]);
    expect(shortLines(adjusted, shortages)).toEqual([]);
  });

  it("never raises a quantity when adjusting", () => {
    const small = [{ product: rice, quantity: 10 }];
    expect(adjustToAvailable(small, shortages)[0].quantity).toBe(10);
  });
});

describe("field errors", () => {
  it("puts items.N errors on the product sent at position N", () => {
    const errors = [
      { field: "items.1.product_id", message: "Produto inativo: Feijão." },
      { field: "items.1.quantity", message: "Quantidade inválida." },
      { field: "items.7.quantity", message: "Fora do pedido." },
      { field: "items", message: "Informe de 1 a 200 itens." },
      { field: "notes", message: "Longo demais." },
    ];
    const byLine = lineErrors(errors, ["p-rice", "p-beans", "p-oil"]);
    expect(byLine.get("p-beans")).toEqual(["Produto inativo: Feijão.", "Quantidade inválida."]);
    expect(byLine.has("p-rice")).toBe(false);
    expect(byLine.size).toBe(1);
  });

  it("splits errors into the form's fields and the rest", () => {
    const { byField, others } = splitFieldErrors(
      [
        { field: "document", message: "CPF inválido: dígito verificador incorreto." },
        { field: "document", message: "CPF inválido: dígito verificador incorreto." },
        { field: "email", message: "Já existe um usuário com este e-mail." },
        { field: "_schema", message: "Algo geral." },
        { field: "role", message: "" },
      ],
      ["name", "email", "document"],
    );
    expect(byField).toEqual({
      document: ["CPF inválido: dígito verificador incorreto."],
      email: ["Já existe um usuário com este e-mail."],
    });
    expect(others).toEqual(["Algo geral."]);
  });
});
