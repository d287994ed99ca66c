import { describe, expect, it } from "vitest";

import { ApiError } from "../api/client";
import { fieldMessages, otherMessages } from "./fieldErrors";

const refused = new ApiError("Dados inválidos.", {
  status: 400,
  code: "validation_error",
  errors: [
    { field: "barcode", message: "Código de barras inválido." },
    { field: "barcode", message: "Segunda mensagem." },
    { field: "price", message: "O preço deve ser maior que zero." },
    { field: "", message: "min_price não pode ser maior que max_price." },
    { field: "initial_stock", message: "Só na criação." },
  ],
});

describe("field errors", () => {
  it("gives each field its first message", () => {
    expect(fieldMessages(refused)).toEqual({
      barcode: "Código de barras inválido.",
      price: "O preço deve ser maior que zero.",
      initial_stock: "Só na criação.",
    });
    expect(fieldMessages(new Error("x"))).toEqual({});
    expect(fieldMessages(null)).toEqual({});
  });

  it("leaves for the alert what no field of the form shows", () => {
    expect(otherMessages(refused, ["barcode", "price"])).toEqual([
      "min_price não pode ser maior que max_price.",
      "initial_stock: Só na criação.",
    ]);
    expect(otherMessages(undefined, [])).toEqual([]);
  });
});
