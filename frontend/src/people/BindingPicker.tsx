import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { getClient, getSupplier, listClientOptions, listSupplierOptions, peopleKeys } from "./api";
import { formatDocument } from "../documents/documents";
import { useDebouncedValue } from "../ui/useDebouncedValue";
import { QueryError } from "./ui";

export type BindingKind = "client" | "supplier";

interface Option {
  id: string;
  name: string;
  detail: string;
}

/** A few clients or suppliers whose name has `name` (the pickers' search). */
function useOptions(kind: BindingKind, name: string) {
  return useQuery({
    queryKey: kind === "client" ? peopleKeys.clientOptions(name) : peopleKeys.supplierOptions(name),
    queryFn: async ({ signal }): Promise<{ options: Option[]; total: number }> => {
      if (kind === "client") {
        const page = await listClientOptions(name, signal);
        return {
          total: page.total,
          options: page.items.map((client) => ({
            id: client.id ?? "",
            name: client.name ?? "",
            detail: formatDocument(client.document),
          })),
        };
      }
      const page = await listSupplierOptions(name, signal);
      return {
        total: page.total,
        options: page.items.map((supplier) => ({
          id: supplier.id ?? "",
          name: supplier.name ?? "",
          detail: formatDocument(supplier.cnpj),
        })),
      };
    },
    staleTime: 30_000,
  });
}

/** The name of the client or supplier a user is bound to (one request per record, cached). */
export function useBoundName(kind: BindingKind, id: string | null | undefined) {
  return useQuery({
    queryKey: peopleKeys.boundName(kind, id ?? ""),
    queryFn: async ({ signal }) => {
      const record = kind === "client" ? await getClient(id ?? "", signal) : await getSupplier(id ?? "", signal);
      return record;
    },
    select: (record) => record.name ?? "",
    enabled: Boolean(id),
    staleTime: 5 * 60_000,
  });
}

/** The bound record's name in a list: a link for a client; "not found" when it was deleted. */
export function BoundName({ kind, id }: { kind: BindingKind; id: string }) {
  const { t } = useTranslation("people");
  const name = useBoundName(kind, id);
  if (name.isPending) {
    return <span className="muted">{t("common:loading")}</span>;
  }
  if (name.isError) {
    return <span className="muted">{t("users.bindingUnavailable")}</span>;
  }
  return kind === "client" ? <Link to={`/clientes/${id}`}>{name.data}</Link> : <span>{name.data}</span>;
}

interface BindingPickerProps {
  kind: BindingKind;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
}

/**
 * Choose the client record (client users) or the supplier (supplier users): search by name,
 * pick one of the radio buttons; the current choice stays shown above the search.
 */
export function BindingPicker({ kind, value, onChange, error }: BindingPickerProps) {
  const { t } = useTranslation("people");
  const queryClient = useQueryClient();
  const baseId = useId();
  const [search, setSearch] = useState("");
  const settled = useDebouncedValue(search.trim(), 250);
  const options = useOptions(kind, settled);
  const current = useBoundName(kind, value);
  const errorId = `${baseId}-error`;
  const legend = kind === "client" ? t("users.fields.client") : t("users.fields.supplier");

  return (
    <fieldset
      className="field people-picker"
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
      data-testid={`binding-${kind}`}
    >
      <legend>{legend}</legend>
      <p className="small people-picker-current" aria-live="polite">
        {value
          ? t("users.boundTo", {
              name: current.data ?? (current.isError ? t("users.bindingUnavailable") : t("common:loading")),
            })
          : t(kind === "client" ? "users.noClientYet" : "users.noSupplierYet")}
      </p>
      <label htmlFor={`${baseId}-search`}>
        {kind === "client" ? t("users.searchClient") : t("users.searchSupplier")}
      </label>
      <input
        id={`${baseId}-search`}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
        autoComplete="off"
      />
      <QueryError error={options.error} testId={`binding-${kind}-error`} />
      <div aria-busy={options.isFetching}>
        {options.isPending && <p className="muted small">{t("common:loading")}</p>}
        {options.data && options.data.options.length === 0 && (
          <p className="muted small">{t("users.noMatches")}</p>
        )}
        {options.data && options.data.options.length > 0 && (
          <ul className="people-options">
            {options.data.options.map((option) => (
              <li key={option.id}>
                <label className="people-option">
                  <input
                    type="radio"
                    name={`${baseId}-choice`}
                    value={option.id}
                    checked={value === option.id}
                    onChange={() => {
                      queryClient.setQueryData(peopleKeys.boundName(kind, option.id), {
                        id: option.id,
                        name: option.name,
                      });
                      onChange(option.id);
                    }}
                  />
                  <span>
                    {option.name}
                    {option.detail && <span className="muted small"> · {option.detail}</span>}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {options.data && options.data.total > options.data.options.length && (
          <p className="muted small">{t("users.moreMatches", { count: options.data.total })}</p>
        )}
      </div>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}
