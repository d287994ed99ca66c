import { describe, expect, it } from "vitest";

import {
  buildSupplier,
  draftFromSupplier,
  emptySupplierDraft,
  formatCnpj,
  formatPhone,
  isValidCnpj,
  isValidWhatsapp,
  supplierChanges,
} from "./supplierForm";
import type { Supplier } from "./types";

const SUPPLIER: Supplier = {
  id: "s-1",
  name: "Boa Safra Alimentos LTDA",
  cnpj: "11222333000181",
  email: null,
  whatsapp: "11987654321",
  notify_whatsapp: true,
  active: true,
  created_at: "2026-11-01T12:00:00Z",
  updated_at: "2026-11-01T12:00:00Z",
};

describe("CNPJ and WhatsApp", () => {
  it("checks a CNPJ's check digits, with or without punctuation", () => {
    expect(isValidCnpj("11.222.333/0001-81")).toBe(true);
    expect(isValidCnpj("11444777000161")).toBe(true);
    expect(isValidCnpj("11.222.333/0001-82")).toBe(false);
    expect(isValidCnpj("11111111111111")).toBe(false);
    expect(isValidCnpj("1122233300018")).toBe(false);
  });

  it("wants a WhatsApp with DDD, the country code optional", () => {
    expect(isValidWhatsapp("(11) 98765-4321")).toBe(true);
    expect(isValidWhatsapp("+55 11 3456-7890")).toBe(true);
    expect(isValidWhatsapp("98765-4321")).toBe(false);
    expect(isValidWhatsapp("(01) 98765-4321")).toBe(false);
  });

  it("shows them punctuated", () => {
    expect(formatCnpj("11222333000181")).toBe("11.222.333/0001-81");
    expect(formatCnpj("123")).toBe("123");
    expect(formatPhone("11987654321")).toBe("(11) 98765-4321");
    expect(formatPhone("1134567890")).toBe("(11) 3456-7890");
    expect(formatPhone("5511987654321")).toBe("+55 (11) 98765-4321");
  });
});

describe("buildSupplier", () => {
  it("sends digits only, and blank contacts as null", () => {
    const built = buildSupplier({ ...emptySupplierDraft(), name: " Boa Safra ", cnpj: "11.222.333/0001-81" });
    expect(built).toEqual({
      ok: true,
      body: { name: "Boa Safra", cnpj: "11222333000181", email: null, whatsapp: null, notify_whatsapp: true, active: true },
    });
    const withContacts = buildSupplier({
      ...emptySupplierDraft(),
      name: "Boa Safra",
      cnpj: "11222333000181",
      email: " vendas@boasafra.com.br ",
      whatsapp: "(11) 98765-4321",
    });
    expect(withContacts.ok && withContacts.body).toMatchObject({ email: "vendas@boasafra.com.br", whatsapp: "11987654321" });
  });

  it("says what is wrong", () => {
    expect(buildSupplier({ ...emptySupplierDraft(), cnpj: "123", email: "sem-arroba", whatsapp: "123" })).toEqual({
      ok: false,
      problems: { name: "required", cnpj: "cnpj", email: "email", whatsapp: "whatsapp" },
    });
  });

  it("changes only what was edited", () => {
    const form = draftFromSupplier(SUPPLIER);
    expect(form.cnpj).toBe("11.222.333/0001-81");
    const same = buildSupplier(form);
    expect(same.ok && supplierChanges(SUPPLIER, same.body)).toEqual({});
    const edited = buildSupplier({ ...form, whatsapp: "", active: false });
    expect(edited.ok && supplierChanges(SUPPLIER, edited.body)).toEqual({ whatsapp: null, active: false });
  });
});
