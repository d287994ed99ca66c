import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { stockKeys } from "../stock/stock";
import { catalogueKeys, createProduct, updateProduct } from "./api";
import { fieldMessages } from "./fieldErrors";
import {
  MAX_LENGTH,
  buildProduct,
  draftFromProduct,
  emptyProductDraft,
  productChanges,
  type ProductDraft,
  type ProductField,
  type ProductProblems,
} from "./productForm";
import { SupplierPicker } from "./SupplierPicker";
import { UNITS, type Product, type ProductCreate, type Unit } from "./types";
import { Field, FormError } from "./ui";

const FIELDS: readonly ProductField[] = [
  "name",
  "description",
  "price",
  "barcode",
  "section",
  "category",
  "unit",
  "seasonality",
  "expiry_date",
  "ideal_quantity",
  "initial_stock",
  "supplier_id",
  "active",
];

interface ProductFormProps {
  /** The saved product being changed; none for a new one. */
  product?: Product;
  onSaved: (product: Product, created: boolean) => void;
}

/** Every field of a product; errors beside their fields, the service's and this form's own. */
export function ProductForm({ product, onSaved }: ProductFormProps) {
  const { t, i18n } = useTranslation("catalogue");
  const id = useId();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ProductDraft>(() =>
    product ? draftFromProduct(product, i18n.language) : emptyProductDraft(),
  );
  const [problems, setProblems] = useState<ProductProblems>({});
  const [unchanged, setUnchanged] = useState(false);
  const save = useMutation({
    mutationFn: (body: ProductCreate) =>
      product ? updateProduct(product.id, productChanges(product, body)) : createProduct(body),
    onSuccess: (saved) => {
      queryClient.setQueryData(catalogueKeys.product(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.products() });
      // The ideal quantity decides the % of ideal and the low-stock flag.
      void queryClient.invalidateQueries({ queryKey: stockKeys.level(saved.id) });
      onSaved(saved, product === undefined);
    },
  });
  const serverErrors = fieldMessages(save.error);

  function set<K extends ProductField>(name: K, value: ProductDraft[K]) {
    setDraft((current) => ({ ...current, [name]: value }));
    setUnchanged(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const built = buildProduct(draft);
    if (!built.ok) {
      setProblems(built.problems);
      return;
    }
    setProblems({});
    if (product && Object.keys(productChanges(product, built.body)).length === 0) {
      setUnchanged(true);
      return;
    }
    save.mutate(built.body);
  }

  /** This form's problem, else the service's message for the field. */
  const errorOf = (field: ProductField): string | null => {
    const problem = problems[field];
    if (problem) {
      return t(`product.problem.${problem}`, { max: field in MAX_LENGTH ? MAX_LENGTH[field as keyof typeof MAX_LENGTH] : "" });
    }
    return serverErrors[field] ?? null;
  };
  const hasProblems = Object.keys(problems).length > 0;
  const fieldId = (field: ProductField) => `${id}-${field}`;

  return (
    <form className="cat-form" onSubmit={submit} noValidate data-testid="product-form" aria-describedby={`${id}-required`}>
      <p id={`${id}-required`} className="muted small">
        {t("ui.requiredNote")}
      </p>
      <FormError error={save.error} fields={FIELDS} testId="product-form-error" />
      {hasProblems && (
        <p className="alert" role="alert" data-testid="product-form-problems">
          {t("ui.fixFields")}
        </p>
      )}
      <div className="cat-form-grid">
        <Field id={fieldId("name")} label={`${t("product.name")} *`} error={errorOf("name")} className="cat-span">
          {(control) => (
            <input
              {...control}
              value={draft.name}
              required
              maxLength={MAX_LENGTH.name}
              autoComplete="off"
              onChange={(event) => set("name", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={fieldId("description")}
          label={t("product.description")}
          error={errorOf("description")}
          className="cat-span"
        >
          {(control) => (
            <textarea
              {...control}
              value={draft.description}
              maxLength={MAX_LENGTH.description}
              rows={3}
              onChange={(event) => set("description", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("price")} label={`${t("product.price")} (R$) *`} error={errorOf("price")} hint={t("product.priceHint")}>
          {(control) => (
            <input
              {...control}
              value={draft.price}
              required
              inputMode="decimal"
              placeholder="0,00"
              onChange={(event) => set("price", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("unit")} label={`${t("product.unit")} *`} error={errorOf("unit")}>
          {(control) => (
            <select {...control} value={draft.unit} onChange={(event) => set("unit", event.target.value as Unit)}>
              {UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {t(`units.${unit}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={fieldId("barcode")} label={t("product.barcode")} error={errorOf("barcode")} hint={t("product.barcodeHint")}>
          {(control) => (
            <input
              {...control}
              value={draft.barcode}
              inputMode="numeric"
              maxLength={14}
              autoComplete="off"
              onChange={(event) => set("barcode", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("section")} label={`${t("product.section")} *`} error={errorOf("section")}>
          {(control) => (
            <input
              {...control}
              value={draft.section}
              required
              maxLength={MAX_LENGTH.section}
              onChange={(event) => set("section", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("category")} label={t("product.category")} error={errorOf("category")}>
          {(control) => (
            <input
              {...control}
              value={draft.category}
              maxLength={MAX_LENGTH.category}
              onChange={(event) => set("category", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={fieldId("seasonality")}
          label={t("product.seasonality")}
          error={errorOf("seasonality")}
          hint={t("product.seasonalityHint")}
        >
          {(control) => (
            <input
              {...control}
              value={draft.seasonality}
              maxLength={MAX_LENGTH.seasonality}
              onChange={(event) => set("seasonality", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("expiry_date")} label={t("product.expiryDate")} error={errorOf("expiry_date")}>
          {(control) => (
            <input
              {...control}
              type="date"
              value={draft.expiry_date}
              onChange={(event) => set("expiry_date", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={fieldId("ideal_quantity")}
          label={t("product.idealQuantity")}
          error={errorOf("ideal_quantity")}
          hint={t("product.idealQuantityHint")}
        >
          {(control) => (
            <input
              {...control}
              type="number"
              min={0}
              step={1}
              inputMode="numeric"
              value={draft.ideal_quantity}
              onChange={(event) => set("ideal_quantity", event.target.value)}
            />
          )}
        </Field>
        {!product && (
          <Field
            id={fieldId("initial_stock")}
            label={t("product.initialStock")}
            error={errorOf("initial_stock")}
            hint={t("product.initialStockHint")}
          >
            {(control) => (
              <input
                {...control}
                type="number"
                min={0}
                step={1}
                inputMode="numeric"
                value={draft.initial_stock}
                onChange={(event) => set("initial_stock", event.target.value)}
              />
            )}
          </Field>
        )}
        <SupplierPicker
          id={fieldId("supplier_id")}
          label={t("product.supplier")}
          value={draft.supplier_id}
          onChange={(supplierId) => set("supplier_id", supplierId)}
          noneLabel={t("product.noSupplier")}
          error={errorOf("supplier_id")}
          currentName={product && draft.supplier_id === product.supplier_id ? product.supplier_name : null}
        />
        <div className="field cat-check-field">
          <label className="check">
            <input
              type="checkbox"
              checked={draft.active}
              onChange={(event) => set("active", event.target.checked)}
              aria-describedby={`${id}-active-hint`}
            />
            {t("product.active")}
          </label>
          <p id={`${id}-active-hint`} className="muted small cat-hint">
            {t("product.activeHint")}
          </p>
          {errorOf("active") && <p className="field-error">{errorOf("active")}</p>}
        </div>
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={save.isPending} data-testid="product-save">
          {save.isPending ? t("ui.saving") : product ? t("ui.save") : t("products.create")}
        </button>
      </div>
      <p role="status" className="small" data-testid="product-form-status">
        {unchanged ? t("ui.nothingChanged") : ""}
      </p>
    </form>
  );
}
