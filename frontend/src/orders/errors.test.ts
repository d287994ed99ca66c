import { describe, expect, it } from "vitest";

import { ApiError } from "../api/client";
import { fieldMessage, isItemField, itemErrorsByProduct, shortageFor, shortagesOf } from "./errors";

const shortage = { product_id: "p1", product_name: "Arroz", requested: 40, available: 30 };
const insufficient = new ApiError("Estoque insuficiente: Arroz (pedido 40, disponível 30). Nada foi gravado.", {
  status: 409,
  code: "insufficient_stock",
  data: { shortages: [shortage, { product_id: 3 }] },
});
const invalid = new ApiError("Dados inválidos.", {
  status: 400,
  code: "validation_error",
  errors: [
    { field: "items.1.quantity", message: "Deve ser maior ou igual a 1." },
    { field: "items.1.product_id", message: "Produto inativo." },
    { field: "date_from", message: "date_from não pode ser depois de date_to." },
    { field: "date_from", message: "date_from não pode ser depois de date_to." },
  ],
});

describe("fieldMessage", () => {
  it("is the API's message for exactly that field, once", () => {
    expect(fieldMessage(invalid, "date_from")).toBe("date_from não pode ser depois de date_to.");
    expect(fieldMessage(invalid, "date_to")).toBeNull();
    expect(fieldMessage(new Error("boom"), "date_from")).toBeNull();
    expect(fieldMessage(null, "date_from")).toBeNull();
  });
});

describe("shortagesOf", () => {
  it("reads the shortages of a 409, skipping malformed ones", () => {
    expect(shortagesOf(insufficient)).toEqual([shortage]);
    expect(shortageFor(shortagesOf(insufficient), "p1")).toEqual(shortage);
    expect(shortageFor(shortagesOf(insufficient), "p2")).toBeNull();
  });

  it("is empty for any other failure", () => {
    expect(shortagesOf(invalid)).toEqual([]);
    expect(shortagesOf(new Error("boom"))).toEqual([]);
    expect(shortagesOf(new ApiError("x", { status: 409, code: "conflict", data: { shortages: "none" } }))).toEqual([]);
  });
});

describe("itemErrorsByProduct", () => {
  it("puts items.N errors on the product of the N-th line that was sent", () => {
    const sent = [{ product_id: "p0" }, { product_id: "p1" }];
    const byProduct = itemErrorsByProduct(invalid, sent);
    expect(byProduct.get("p1")).toEqual(["Deve ser maior ou igual a 1.", "Produto inativo."]);
    expect(byProduct.has("p0")).toBe(false);
    expect(itemErrorsByProduct(invalid, []).size).toBe(0);
  });

  it("knows a line's field from the others", () => {
    expect(isItemField("items.0.quantity")).toBe(true);
    expect(isItemField("items")).toBe(false);
    expect(isItemField("client_id")).toBe(false);
  });
});
