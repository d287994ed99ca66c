import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";

import { catalogueKeys, getSupplier, supplierOptions } from "./api";
import { useDebouncedValue } from "../ui/useDebouncedValue";
import { Field } from "./ui";

interface SupplierPickerProps {
  id: string;
  label: string;
  /** The chosen supplier's id, or "" for none. */
  value: string;
  onChange: (supplierId: string) => void;
  /** The first option ("Nenhum", "Todos"). */
  noneLabel: string;
  error?: string | null;
  className?: string;
  /** The chosen supplier's name when already known (a product's `supplier_name`). */
  currentName?: string | null;
}

/**
 * A supplier chosen from a list that a search box narrows (there may be hundreds): the first
 * matches by name, inactive ones marked, and the current choice kept even when the search
 * does not find it.
 */
export function SupplierPicker({
  id,
  label,
  value,
  onChange,
  noneLabel,
  error,
  className,
  currentName,
}: SupplierPickerProps) {
  const { t } = useTranslation("catalogue");
  const [search, setSearch] = useState("");
  const settled = useDebouncedValue(search.trim());
  const options = useQuery({
    queryKey: catalogueKeys.supplierOptions(settled),
    queryFn: ({ signal }) => supplierOptions(settled, signal),
    placeholderData: keepPreviousData,
    staleTime: 30_000,
  });
  const listed = options.data?.items ?? [];
  const missing = value !== "" && !listed.some((supplier) => supplier.id === value);
  const current = useQuery({
    queryKey: catalogueKeys.supplier(value),
    queryFn: ({ signal }) => getSupplier(value, signal),
    enabled: missing && !currentName,
    staleTime: 60_000,
    retry: false,
  });
  const more = options.data !== undefined && options.data.total > listed.length;

  return (
    <Field
      id={id}
      label={label}
      error={error}
      className={className}
      hint={more ? t("picker.more", { shown: listed.length }) : undefined}
    >
      {(control) => (
        <div className="cat-picker">
          <input
            id={`${id}-search`}
            type="search"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            placeholder={t("picker.searchPlaceholder")}
            aria-label={t("picker.search", { label })}
            aria-controls={id}
            autoComplete="off"
          />
          <select
            {...control}
            value={value}
            onChange={(event) => onChange(event.target.value)}
            aria-busy={options.isFetching}
            data-testid={`${id}-select`}
          >
            <option value="">{noneLabel}</option>
            {missing && <option value={value}>{currentName ?? current.data?.name ?? t("picker.current")}</option>}
            {listed.map((supplier) => (
              <option key={supplier.id} value={supplier.id}>
                {supplier.active ? supplier.name : t("picker.inactive", { name: supplier.name })}
              </option>
            ))}
          </select>
        </div>
      )}
    </Field>
  );
}
