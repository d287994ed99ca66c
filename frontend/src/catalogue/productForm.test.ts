import { describe, expect, it } from "vitest";

import { decimalForInput, decimalPlaces, normaliseDecimal, parseDecimal } from "./decimal";
import { buildProduct, draftFromProduct, emptyProductDraft, productChanges, type ProductDraft } from "./productForm";
import type { Product } from "./types";

const SUPPLIER = "5b0c2d8e-8a61-4f0e-9d3c-1f2a3b4c5d6e";

function draft(changes: Partial<ProductDraft> = {}): ProductDraft {
  return { ...emptyProductDraft(), name: "Arroz tipo 1", section: "Mercearia", price: "27,90", ...changes };
}

const PRODUCT: Product = {
  id: "p-1",
  name: "Arroz tipo 1",
  description: null,
  price: 27.9,
  barcode: "7891234567895",
  section: "Mercearia",
  category: "Grãos",
  unit: "kg",
  seasonality: null,
  expiry_date: "2020-01-31",
  supplier_id: SUPPLIER,
  supplier_name: "Boa Safra",
  ideal_quantity: 80,
  active: true,
  stock: { on_hand: 10, reserved: 2, available: 8, percent_of_ideal: 10, low_stock: true },
  images: [],
  created_at: "2026-11-01T12:00:00Z",
  updated_at: "2026-11-02T12:00:00Z",
};

describe("decimals as people type them", () => {
  it("reads Brazilian and international writing", () => {
    expect(parseDecimal("27,90")).toBe(27.9);
    expect(parseDecimal("27.90")).toBe(27.9);
    expect(parseDecimal("R$ 1.234,56")).toBe(1234.56);
    expect(parseDecimal("1,234.56")).toBe(1234.56);
    expect(parseDecimal("1.234.567")).toBe(1234567);
    expect(parseDecimal(" 5 ")).toBe(5);
  });

  it("is null for what is not a number", () => {
    expect(parseDecimal("")).toBeNull();
    expect(parseDecimal("abc")).toBeNull();
    expect(parseDecimal("1,2,3")).toBeNull();
    expect(normaliseDecimal("12a")).toBeNull();
  });

  it("counts the decimals written", () => {
    expect(decimalPlaces("27,9")).toBe(1);
    expect(decimalPlaces("27,905")).toBe(3);
    expect(decimalPlaces("1.234")).toBe(3); // a dot alone is a decimal point: the form asks again
    expect(decimalPlaces("30")).toBe(0);
  });

  it("writes a price for the input in the language's way", () => {
    expect(decimalForInput(27.9, "pt-BR")).toBe("27,90");
    expect(decimalForInput(27.9, "en")).toBe("27.90");
  });
});

describe("buildProduct", () => {
  it("maps the form to the POST body, blank optional texts as null", () => {
    const built = buildProduct(draft({ description: "  ", barcode: "", category: " ", seasonality: "", expiry_date: "" }));
    expect(built).toEqual({
      ok: true,
      body: {
        name: "Arroz tipo 1",
        description: null,
        price: 27.9,
        barcode: null,
        section: "Mercearia",
        category: null,
        unit: "un",
        seasonality: null,
        expiry_date: null,
        supplier_id: null,
        ideal_quantity: 0,
        active: true,
        initial_stock: 0,
      },
    });
  });

  it("trims texts and sends numbers as numbers", () => {
    const built = buildProduct(
      draft({
        name: "  Feijão carioca ",
        price: "1.234,5",
        barcode: " 7891234567895 ",
        unit: "kg",
        expiry_date: "2027-03-31",
        ideal_quantity: "80",
        initial_stock: " 150 ",
        supplier_id: SUPPLIER,
        active: false,
      }),
    );
    expect(built.ok && built.body).toMatchObject({
      name: "Feijão carioca",
      price: 1234.5,
      barcode: "7891234567895",
      unit: "kg",
      expiry_date: "2027-03-31",
      ideal_quantity: 80,
      initial_stock: 150,
      supplier_id: SUPPLIER,
      active: false,
    });
  });

  it("says what is wrong, field by field", () => {
    const built = buildProduct(
      draft({ name: " ", section: "", price: "0", ideal_quantity: "2.5", initial_stock: "-1" }),
    );
    expect(built).toEqual({
      ok: false,
      problems: {
        name: "required",
        section: "required",
        price: "price_positive",
        ideal_quantity: "whole_number",
        initial_stock: "whole_number",
      },
    });
  });

  it("checks the price like the service: above zero, two decimals, below the ceiling", () => {
    const price = (value: string) => {
      const built = buildProduct(draft({ price: value }));
      return built.ok ? built.body.price : built.problems.price;
    };
    expect(price("")).toBe("required");
    expect(price("grátis")).toBe("price_invalid");
    expect(price("-1")).toBe("price_positive");
    expect(price("9,999")).toBe("price_decimals");
    expect(price("10000000000")).toBe("price_too_high");
    expect(price("9999999999,99")).toBe(9999999999.99);
    expect(price("0,01")).toBe(0.01);
  });

  it("refuses texts longer than the service keeps", () => {
    const built = buildProduct(draft({ name: "x".repeat(201), category: "y".repeat(101) }));
    expect(built.ok ? null : built.problems).toEqual({ name: "too_long", category: "too_long" });
  });
});

describe("productChanges", () => {
  it("is nothing for the saved product's own form", () => {
    const built = buildProduct(draftFromProduct(PRODUCT, "pt-BR"));
    expect(built.ok && productChanges(PRODUCT, built.body)).toEqual({});
  });

  it("sends only what changed, never the initial stock, and an emptied field as null", () => {
    const form = { ...draftFromProduct(PRODUCT, "pt-BR"), price: "29,5", category: "", initial_stock: "99" };
    const built = buildProduct(form);
    expect(built.ok && productChanges(PRODUCT, built.body)).toEqual({ price: 29.5, category: null });
  });

  it("keeps an expired date out of the body when it was not touched", () => {
    const built = buildProduct({ ...draftFromProduct(PRODUCT, "en"), name: "Arroz tipo 2" });
    expect(built.ok && productChanges(PRODUCT, built.body)).toEqual({ name: "Arroz tipo 2" });
  });
});
