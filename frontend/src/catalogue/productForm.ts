/**
 * The product form: what people type (strings, as the inputs hold them) to the request body
 * the stock service expects, and back. Checked here: what can be known without the server
 * (required fields, a price above zero with two decimals at most, whole quantities). The
 * barcode's check digit, its uniqueness and the expiry date against today are the service's
 * to decide; its field errors are shown beside the same fields.
 */
import { decimalForInput, decimalPlaces, parseDecimal } from "./decimal";
import { UNITS, type Product, type ProductChanges, type ProductCreate, type Unit } from "./types";

/** The stock service's limits (stock_service/domain/catalogue.py, api/product_schemas.py). */
export const MAX_PRICE = 9_999_999_999.99;
export const MAX_QUANTITY = 1_000_000_000;
export const MAX_LENGTH = {
  name: 200,
  description: 4000,
  section: 100,
  category: 100,
  seasonality: 100,
} as const;

export interface ProductDraft {
  name: string;
  description: string;
  price: string;
  barcode: string;
  section: string;
  category: string;
  unit: Unit;
  seasonality: string;
  /** AAAA-MM-DD (an <input type="date">), or "". */
  expiry_date: string;
  ideal_quantity: string;
  /** Only when creating: the first ledger row (`initial`). */
  initial_stock: string;
  supplier_id: string;
  active: boolean;
}

export type ProductField = keyof ProductDraft;

/** An i18n key under `product.problem`. */
export type ProductProblem =
  | "required"
  | "too_long"
  | "price_invalid"
  | "price_positive"
  | "price_decimals"
  | "price_too_high"
  | "whole_number"
  | "quantity_too_high"
  | "unit"
  | "date";

export type ProductProblems = Partial<Record<ProductField, ProductProblem>>;

export function emptyProductDraft(): ProductDraft {
  return {
    name: "",
    description: "",
    price: "",
    barcode: "",
    section: "",
    category: "",
    unit: "un",
    seasonality: "",
    expiry_date: "",
    ideal_quantity: "0",
    initial_stock: "0",
    supplier_id: "",
    active: true,
  };
}

/** The form filled with a saved product; the price written the language's way. */
export function draftFromProduct(product: Product, language: string): ProductDraft {
  return {
    name: product.name,
    description: product.description ?? "",
    price: decimalForInput(product.price, language),
    barcode: product.barcode ?? "",
    section: product.section,
    category: product.category ?? "",
    unit: isUnit(product.unit) ? product.unit : "un",
    seasonality: product.seasonality ?? "",
    expiry_date: product.expiry_date ?? "",
    ideal_quantity: String(product.ideal_quantity),
    initial_stock: "0",
    supplier_id: product.supplier_id ?? "",
    active: product.active,
  };
}

export function isUnit(value: string): value is Unit {
  return UNITS.includes(value as Unit);
}

/** Blank → null; otherwise the text without surrounding blanks. */
function optional(value: string): string | null {
  const written = value.trim();
  return written === "" ? null : written;
}

function pricePart(raw: string): { value?: number; problem?: ProductProblem } {
  if (raw.trim() === "") {
    return { problem: "required" };
  }
  const value = parseDecimal(raw);
  if (value === null || !Number.isFinite(value)) {
    return { problem: "price_invalid" };
  }
  if (value <= 0) {
    return { problem: "price_positive" };
  }
  if (value > MAX_PRICE) {
    return { problem: "price_too_high" };
  }
  if (decimalPlaces(raw) > 2) {
    return { problem: "price_decimals" };
  }
  return { value };
}

/** A whole number ≥ 0 (blank is 0). */
function quantityPart(raw: string): { value?: number; problem?: ProductProblem } {
  const written = raw.trim();
  if (written === "") {
    return { value: 0 };
  }
  if (!/^\d+$/.test(written)) {
    return { problem: "whole_number" };
  }
  const value = Number(written);
  return value > MAX_QUANTITY ? { problem: "quantity_too_high" } : { value };
}

export type ProductBuild =
  | { ok: true; body: ProductCreate }
  | { ok: false; problems: ProductProblems };

/**
 * The POST /products body for this draft, or what is wrong with it field by field. Blank
 * optional texts are sent as null (the API's "none"), never as "".
 */
export function buildProduct(draft: ProductDraft): ProductBuild {
  const problems: ProductProblems = {};
  const name = draft.name.trim();
  const section = draft.section.trim();
  if (name === "") problems.name = "required";
  else if (name.length > MAX_LENGTH.name) problems.name = "too_long";
  if (section === "") problems.section = "required";
  else if (section.length > MAX_LENGTH.section) problems.section = "too_long";
  for (const field of ["description", "category", "seasonality"] as const) {
    if (draft[field].trim().length > MAX_LENGTH[field]) problems[field] = "too_long";
  }
  if (!isUnit(draft.unit)) problems.unit = "unit";
  if (draft.expiry_date !== "" && !/^\d{4}-\d{2}-\d{2}$/.test(draft.expiry_date)) problems.expiry_date = "date";
  const price = pricePart(draft.price);
  if (price.problem) problems.price = price.problem;
  const ideal = quantityPart(draft.ideal_quantity);
  if (ideal.problem) problems.ideal_quantity = ideal.problem;
  const initial = quantityPart(draft.initial_stock);
  if (initial.problem) problems.initial_stock = initial.problem;

  if (Object.keys(problems).length > 0) {
    return { ok: false, problems };
  }
  return {
    ok: true,
    body: {
      name,
      description: optional(draft.description),
      price: price.value!,
      barcode: optional(draft.barcode),
      section,
      category: optional(draft.category),
      unit: draft.unit,
      seasonality: optional(draft.seasonality),
      expiry_date: optional(draft.expiry_date),
      supplier_id: optional(draft.supplier_id),
      ideal_quantity: ideal.value!,
      active: draft.active,
      initial_stock: initial.value!,
    },
  };
}

/** The product as a body, to compare a new draft against (stock is never part of a change). */
export function bodyFromProduct(product: Product): Omit<ProductCreate, "initial_stock"> {
  return {
    name: product.name,
    description: product.description,
    price: product.price,
    barcode: product.barcode,
    section: product.section,
    category: product.category,
    unit: isUnit(product.unit) ? product.unit : "un",
    seasonality: product.seasonality,
    expiry_date: product.expiry_date,
    supplier_id: product.supplier_id,
    ideal_quantity: product.ideal_quantity,
    active: product.active,
  };
}

/**
 * The PUT /products/{id} body: only the fields that changed (SPEC: "envie só os campos que
 * mudam"), so that an already expired date that is kept is not checked again.
 */
export function productChanges(original: Product, body: ProductCreate): ProductChanges {
  const before = bodyFromProduct(original);
  const changes: Record<string, unknown> = {};
  for (const key of Object.keys(before) as (keyof typeof before)[]) {
    if (before[key] !== body[key]) {
      changes[key] = body[key];
    }
  }
  return changes as ProductChanges;
}
