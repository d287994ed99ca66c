import { useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { orderKeys, type LookupKind } from "./api";
import { fieldMessage } from "./errors";
import {
  NO_FILTERS,
  STOCK_STATUSES,
  activeFilterCount,
  filterProblems,
  type OrderFilters,
} from "./filters";
import { ORDER_STATUSES } from "./statuses";
import { clientOptions, productOptions, supplierOptions, useEntityName } from "./lookups";
import { SearchPicker, type PickerOption } from "./SearchPicker";

interface OrderFiltersFormProps {
  /** The filters in use (the URL's). */
  filters: OrderFilters;
  onApply: (filters: OrderFilters) => void;
  /** The list's refusal: its field errors are shown beside the fields. */
  error: unknown;
}

const WIDE_SCREEN = "(min-width: 48rem)";

type IdFilter = "client_id" | "product_id" | "supplier_id";
const KINDS: Record<IdFilter, LookupKind> = {
  client_id: "clients",
  product_id: "products",
  supplier_id: "suppliers",
};

/**
 * The list's filters, written here and applied together ("Filtrar", or Enter in a field).
 * Keyed by the filters in use, so going back in the history shows them here too.
 */
export function OrderFiltersForm({ filters, onApply, error }: OrderFiltersFormProps) {
  const { t } = useTranslation("orders");
  const id = useId();
  const [draft, setDraft] = useState<OrderFilters>(filters);
  const [checked, setChecked] = useState(false);
  // Open on wide screens; on a phone the list comes first and the filters open on demand.
  const [openAtFirst] = useState(() => window.matchMedia?.(WIDE_SCREEN).matches ?? true);
  const problems = filterProblems(draft);
  const active = activeFilterCount(filters);
  const changed = JSON.stringify(draft) !== JSON.stringify(filters);

  function set<K extends keyof OrderFilters>(name: K, value: OrderFilters[K]) {
    setDraft((current) => ({ ...current, [name]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(filterProblems(draft)).length === 0) {
      onApply({ ...draft, section: draft.section.trim(), id: draft.id.trim().toLowerCase() });
    }
  }

  const message = (field: keyof OrderFilters) =>
    fieldMessage(error, field) ?? (checked && problems[field] === "uuid" ? t("filters.idInvalid") : null);

  function picker(name: IdFilter, label: string, search: (text: string, signal: AbortSignal) => Promise<PickerOption[]>) {
    return (
      <EntityFilter
        key={name}
        id={`${id}-${name}`}
        name={name}
        label={label}
        value={draft[name]}
        search={search}
        error={message(name)}
        onChange={(option) => set(name, option?.id ?? "")}
      />
    );
  }

  const availableLabel = (available: string) => t("product.available", { available });
  return (
    <section className="card orders-filters" aria-labelledby={`${id}-title`} data-testid="order-filters">
      <details open={openAtFirst}>
        <summary>
          <h2 id={`${id}-title`}>
            {t("filters.title")}
            {active > 0 && <span className="orders-count">{t("filters.active", { count: active })}</span>}
          </h2>
        </summary>
        <form className="orders-filter-grid" onSubmit={submit} noValidate>
          <div className="field">
            <label htmlFor={`${id}-status`}>{t("filters.status")}</label>
            <select
              id={`${id}-status`}
              value={draft.status}
              onChange={(event) => set("status", event.target.value as OrderFilters["status"])}
              data-testid="filter-status"
            >
              <option value="">{t("filters.any")}</option>
              {ORDER_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`common:status.${status}`)}
                </option>
              ))}
            </select>
            <FieldMessage id={`${id}-status-error`} message={message("status")} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-stock`}>{t("filters.stockStatus")}</label>
            <select
              id={`${id}-stock`}
              value={draft.stock_status}
              onChange={(event) => set("stock_status", event.target.value as OrderFilters["stock_status"])}
              data-testid="filter-stock-status"
            >
              <option value="">{t("filters.any")}</option>
              {STOCK_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {t(`common:stockStatus.${status}`)}
                </option>
              ))}
            </select>
            <FieldMessage id={`${id}-stock-error`} message={message("stock_status")} />
          </div>
          {picker("client_id", t("filters.client"), clientOptions)}
          {picker("product_id", t("filters.product"), (text, signal) => productOptions(text, signal, availableLabel))}
          {picker("supplier_id", t("filters.supplier"), supplierOptions)}
          <TextFilter
            id={`${id}-section`}
            label={t("filters.section")}
            hint={t("filters.sectionHint")}
            value={draft.section}
            onChange={(value) => set("section", value)}
            error={message("section")}
            testId="filter-section"
          />
          <TextFilter
            id={`${id}-from`}
            type="date"
            label={t("filters.dateFrom")}
            value={draft.date_from}
            onChange={(value) => set("date_from", value)}
            error={message("date_from")}
            testId="filter-date-from"
          />
          <TextFilter
            id={`${id}-to`}
            type="date"
            label={t("filters.dateTo")}
            value={draft.date_to}
            onChange={(value) => set("date_to", value)}
            error={message("date_to")}
            testId="filter-date-to"
          />
          <TextFilter
            id={`${id}-order-id`}
            label={t("filters.orderId")}
            hint={t("filters.orderIdHint")}
            value={draft.id}
            onChange={(value) => set("id", value)}
            error={message("id")}
            testId="filter-id"
          />
          <div className="orders-filter-actions">
            <button type="submit" className="button primary" data-testid="filters-apply">
              {t("filters.apply")}
            </button>
            <button
              type="button"
              className="button"
              disabled={active === 0 && activeFilterCount(draft) === 0}
              onClick={() => {
                setDraft(NO_FILTERS);
                setChecked(false);
                onApply(NO_FILTERS);
              }}
              data-testid="filters-clear"
            >
              {t("filters.clear")}
            </button>
            {changed && (
              <span className="muted small" role="status">
                {t("filters.pending")}
              </span>
            )}
          </div>
        </form>
      </details>
    </section>
  );
}

function FieldMessage({ id, message }: { id: string; message: string | null }) {
  return message ? (
    <p className="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

function TextFilter({
  id,
  label,
  hint,
  value,
  onChange,
  error,
  type = "text",
  testId,
}: {
  id: string;
  label: string;
  hint?: string;
  value: string;
  onChange: (value: string) => void;
  error: string | null;
  type?: "text" | "date";
  testId: string;
}) {
  const described = [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        data-testid={testId}
      />
      {hint && (
        <p className="muted small orders-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldMessage id={`${id}-error`} message={error} />
    </div>
  );
}

/** A filter by a client, product or supplier: a picker showing the chosen one's name. */
function EntityFilter({
  id,
  name,
  label,
  value,
  search,
  error,
  onChange,
}: {
  id: string;
  name: IdFilter;
  label: string;
  value: string;
  search: (text: string, signal: AbortSignal) => Promise<PickerOption[]>;
  error: string | null;
  onChange: (option: PickerOption | null) => void;
}) {
  const { t } = useTranslation("orders");
  const queryClient = useQueryClient();
  // The name of an id from the URL is asked for; one chosen here is already known.
  const entity = useEntityName(KINDS[name], value);
  const option: PickerOption | null =
    value === ""
      ? null
      : {
          id: value,
          label: entity.name ?? (entity.missing ? t("filters.unknownRecord") : t("filters.loadingName")),
        };
  return (
    <SearchPicker
      id={id}
      label={label}
      searchKey={KINDS[name]}
      search={search}
      value={option}
      onChange={(chosen) => {
        if (chosen) {
          queryClient.setQueryData(orderKeys.entity(KINDS[name], chosen.id), { id: chosen.id, name: chosen.label });
        }
        onChange(chosen);
      }}
      error={error}
      testId={`filter-${name}`}
    />
  );
}
