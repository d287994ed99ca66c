/**
 * The supplier form: typed text to the stock service's body and back, the checks that can be
 * made here (a CNPJ's check digits, a WhatsApp with DDD, an e-mail's shape), and how CNPJs and
 * phone numbers are shown. The service checks them again and decides uniqueness (409).
 */
import type { Supplier, SupplierChanges, SupplierCreate } from "./types";

export interface SupplierDraft {
  name: string;
  cnpj: string;
  email: string;
  whatsapp: string;
  notify_whatsapp: boolean;
  active: boolean;
}

export type SupplierField = keyof SupplierDraft;
/** An i18n key under `supplier.problem`. */
export type SupplierProblem = "required" | "too_long" | "cnpj" | "email" | "whatsapp";
export type SupplierProblems = Partial<Record<SupplierField, SupplierProblem>>;

export function emptySupplierDraft(): SupplierDraft {
  return { name: "", cnpj: "", email: "", whatsapp: "", notify_whatsapp: true, active: true };
}

export function draftFromSupplier(supplier: Supplier): SupplierDraft {
  return {
    name: supplier.name,
    cnpj: formatCnpj(supplier.cnpj),
    email: supplier.email ?? "",
    whatsapp: supplier.whatsapp ? formatPhone(supplier.whatsapp) : "",
    notify_whatsapp: supplier.notify_whatsapp,
    active: supplier.active,
  };
}

export function onlyDigits(value: string): string {
  return value.replace(/\D/g, "");
}

/** A CNPJ with valid check digits (14 digits, not all the same). */
export function isValidCnpj(value: string): boolean {
  const digits = onlyDigits(value);
  if (digits.length !== 14 || /^(\d)\1{13}$/.test(digits)) {
    return false;
  }
  const check = (length: number) => {
    const weights = length === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const sum = weights.reduce((total, weight, index) => total + weight * Number(digits[index]), 0);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  return check(12) === Number(digits[12]) && check(13) === Number(digits[13]);
}

/** A Brazilian WhatsApp with DDD: 10 or 11 digits, with or without the country code 55. */
export function isValidWhatsapp(value: string): boolean {
  let digits = onlyDigits(value);
  if (digits.startsWith("55") && (digits.length === 12 || digits.length === 13)) {
    digits = digits.slice(2);
  }
  return (digits.length === 10 || digits.length === 11) && digits[0] !== "0";
}

/** "11222333000181" → "11.222.333/0001-81"; anything else as it is. */
export function formatCnpj(value: string): string {
  const digits = onlyDigits(value);
  if (digits.length !== 14) {
    return value;
  }
  return `${digits.slice(0, 2)}.${digits.slice(2, 5)}.${digits.slice(5, 8)}/${digits.slice(8, 12)}-${digits.slice(12)}`;
}

/** "11987654321" → "(11) 98765-4321", "5511987654321" → "+55 (11) 98765-4321". */
export function formatPhone(value: string): string {
  const digits = onlyDigits(value);
  const country = (digits.length === 12 || digits.length === 13) && digits.startsWith("55");
  const local = country ? digits.slice(2) : digits;
  if (local.length !== 10 && local.length !== 11) {
    return value;
  }
  const split = local.length - 4;
  const written = `(${local.slice(0, 2)}) ${local.slice(2, split)}-${local.slice(split)}`;
  return country ? `+55 ${written}` : written;
}

export type SupplierBuild = { ok: true; body: SupplierCreate } | { ok: false; problems: SupplierProblems };

export function buildSupplier(draft: SupplierDraft): SupplierBuild {
  const problems: SupplierProblems = {};
  const name = draft.name.trim();
  const email = draft.email.trim();
  const whatsapp = draft.whatsapp.trim();
  if (name === "") problems.name = "required";
  else if (name.length > 200) problems.name = "too_long";
  if (draft.cnpj.trim() === "") problems.cnpj = "required";
  else if (!isValidCnpj(draft.cnpj)) problems.cnpj = "cnpj";
  if (email !== "" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.email = "email";
  else if (email.length > 254) problems.email = "too_long";
  if (whatsapp !== "" && !isValidWhatsapp(whatsapp)) problems.whatsapp = "whatsapp";
  if (Object.keys(problems).length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    body: {
      name,
      cnpj: onlyDigits(draft.cnpj),
      email: email === "" ? null : email,
      whatsapp: whatsapp === "" ? null : onlyDigits(whatsapp),
      notify_whatsapp: draft.notify_whatsapp,
      active: draft.active,
    },
  };
}

/** The PUT body: only what changed against the saved supplier. */
export function supplierChanges(original: Supplier, body: SupplierCreate): SupplierChanges {
  const changes: SupplierChanges = {};
  if (body.name !== original.name) changes.name = body.name;
  if (body.cnpj !== onlyDigits(original.cnpj)) changes.cnpj = body.cnpj;
  if (body.email !== (original.email ?? null)) changes.email = body.email;
  if (body.whatsapp !== (original.whatsapp ?? null)) changes.whatsapp = body.whatsapp;
  if (body.notify_whatsapp !== original.notify_whatsapp) changes.notify_whatsapp = body.notify_whatsapp;
  if (body.active !== original.active) changes.active = body.active;
  return changes;
}
