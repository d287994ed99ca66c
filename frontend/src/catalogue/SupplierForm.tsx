import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { catalogueKeys, createSupplier, updateSupplier } from "./api";
import { fieldMessages } from "./fieldErrors";
import {
  buildSupplier,
  draftFromSupplier,
  emptySupplierDraft,
  supplierChanges,
  type SupplierDraft,
  type SupplierField,
  type SupplierProblems,
} from "./supplierForm";
import type { Supplier, SupplierCreate } from "./types";
import { Field, FormError } from "./ui";

const FIELDS: readonly SupplierField[] = ["name", "cnpj", "email", "whatsapp", "notify_whatsapp", "active"];

interface SupplierFormProps {
  /** The supplier being changed; none for a new one. */
  supplier?: Supplier;
  onSaved: (supplier: Supplier) => void;
  onCancel: () => void;
}

/** A supplier's fields: CNPJ and WhatsApp with or without punctuation, checked here and there. */
export function SupplierForm({ supplier, onSaved, onCancel }: SupplierFormProps) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<SupplierDraft>(() => (supplier ? draftFromSupplier(supplier) : emptySupplierDraft()));
  const [problems, setProblems] = useState<SupplierProblems>({});
  const [unchanged, setUnchanged] = useState(false);
  const save = useMutation({
    mutationFn: (body: SupplierCreate) =>
      supplier ? updateSupplier(supplier.id, supplierChanges(supplier, body)) : createSupplier(body),
    onSuccess: (saved) => {
      queryClient.setQueryData(catalogueKeys.supplier(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.suppliers() });
      // Product rows show their supplier's name.
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.products() });
      onSaved(saved);
    },
  });
  const serverErrors = fieldMessages(save.error);

  function set<K extends SupplierField>(name: K, value: SupplierDraft[K]) {
    setDraft((current) => ({ ...current, [name]: value }));
    setUnchanged(false);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const built = buildSupplier(draft);
    if (!built.ok) {
      setProblems(built.problems);
      return;
    }
    setProblems({});
    if (supplier && Object.keys(supplierChanges(supplier, built.body)).length === 0) {
      setUnchanged(true);
      return;
    }
    save.mutate(built.body);
  }

  const errorOf = (field: SupplierField) => {
    const problem = problems[field];
    return problem ? t(`supplier.problem.${problem}`) : (serverErrors[field] ?? null);
  };
  const fieldId = (field: SupplierField) => `${id}-${field}`;

  return (
    <form className="panel cat-form" onSubmit={submit} noValidate data-testid="supplier-form">
      <h3>{supplier ? t("supplier.editTitle", { name: supplier.name }) : t("suppliers.new")}</h3>
      <FormError error={save.error} fields={FIELDS} testId="supplier-form-error" />
      {Object.keys(problems).length > 0 && (
        <p className="alert" role="alert">
          {t("ui.fixFields")}
        </p>
      )}
      <div className="cat-form-grid">
        <Field id={fieldId("name")} label={`${t("supplier.name")} *`} error={errorOf("name")} className="cat-span">
          {(control) => (
            <input
              {...control}
              value={draft.name}
              maxLength={200}
              required
              autoFocus
              autoComplete="organization"
              onChange={(event) => set("name", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("cnpj")} label={`${t("supplier.cnpj")} *`} error={errorOf("cnpj")} hint={t("supplier.cnpjHint")}>
          {(control) => (
            <input
              {...control}
              value={draft.cnpj}
              required
              inputMode="numeric"
              maxLength={18}
              placeholder="00.000.000/0000-00"
              onChange={(event) => set("cnpj", event.target.value)}
            />
          )}
        </Field>
        <Field id={fieldId("email")} label={t("supplier.email")} error={errorOf("email")}>
          {(control) => (
            <input
              {...control}
              type="email"
              value={draft.email}
              maxLength={254}
              autoComplete="email"
              onChange={(event) => set("email", event.target.value)}
            />
          )}
        </Field>
        <Field
          id={fieldId("whatsapp")}
          label={t("supplier.whatsapp")}
          error={errorOf("whatsapp")}
          hint={t("supplier.whatsappHint")}
        >
          {(control) => (
            <input
              {...control}
              type="tel"
              value={draft.whatsapp}
              maxLength={20}
              autoComplete="tel"
              placeholder="(11) 98765-4321"
              onChange={(event) => set("whatsapp", event.target.value)}
            />
          )}
        </Field>
        <div className="field cat-check-field">
          <label className="check">
            <input
              type="checkbox"
              checked={draft.notify_whatsapp}
              onChange={(event) => set("notify_whatsapp", event.target.checked)}
            />
            {t("supplier.notifyWhatsapp")}
          </label>
          <label className="check">
            <input type="checkbox" checked={draft.active} onChange={(event) => set("active", event.target.checked)} />
            {t("supplier.active")}
          </label>
          <p className="muted small cat-hint">{t("supplier.activeHint")}</p>
        </div>
      </div>
      <div className="buttons">
        <button type="submit" className="button primary" disabled={save.isPending} data-testid="supplier-save">
          {save.isPending ? t("ui.saving") : supplier ? t("ui.save") : t("suppliers.create")}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t("ui.cancel")}
        </button>
      </div>
      <p role="status" className="small">
        {unchanged ? t("ui.nothingChanged") : ""}
      </p>
    </form>
  );
}
