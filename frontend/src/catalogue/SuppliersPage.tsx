import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { useCurrentUser } from "../auth/SessionContext";
import { catalogueKeys, deleteSupplier, listSuppliers } from "./api";
import { readSupplierFilters, supplierFiltersToParams, type SupplierFilters } from "./filters";
import { SupplierForm } from "./SupplierForm";
import { formatCnpj, formatPhone } from "./supplierForm";
import type { Supplier } from "./types";
import { ConfirmAction, Pager, QueryError, Skeleton } from "./ui";
import "./catalogue.css";

/** Fornecedores (/fornecedores): search by name, pages, and creating, editing and deleting. */
export function SuppliersPage() {
  const { t } = useTranslation("catalogue");
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const filters = readSupplierFilters(params);
  const [editing, setEditing] = useState<Supplier | "new" | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({
    queryKey: catalogueKeys.supplierList(filters),
    queryFn: ({ signal }) => listSuppliers(filters, signal),
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (supplier: Supplier) => deleteSupplier(supplier.id),
    onSuccess: (_, supplier) => {
      queryClient.removeQueries({ queryKey: catalogueKeys.supplier(supplier.id) });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.suppliers() });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.products() });
      setNotice(t("supplier.deleted", { name: supplier.name }));
      setEditing((current) => (current !== null && current !== "new" && current.id === supplier.id ? null : current));
    },
  });

  function show(next: SupplierFilters) {
    setParams(supplierFiltersToParams(next));
  }

  const suppliers = list.data?.items ?? [];
  return (
    <section className="card wide cat-page" aria-labelledby="suppliers-title" data-testid="suppliers-page">
      <div className="card-header">
        <h1 id="suppliers-title">{t("suppliers.title")}</h1>
        {editing !== "new" && (
          <button
            type="button"
            className="button primary"
            onClick={() => {
              setEditing("new");
              setNotice(null);
            }}
            data-testid="new-supplier"
          >
            {t("suppliers.new")}
          </button>
        )}
      </div>
      <SupplierSearch key={filters.q} q={filters.q} onSearch={(q) => show({ q, page: 1 })} />
      {notice && (
        <p className="cat-notice" role="status" data-testid="suppliers-notice">
          {notice}
        </p>
      )}
      {editing !== null && (
        <SupplierForm
          key={editing === "new" ? "new" : editing.id}
          supplier={editing === "new" ? undefined : editing}
          onSaved={(saved) => {
            setEditing(null);
            setNotice(t("supplier.saved", { name: saved.name }));
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {remove.error instanceof ApiError && <ErrorAlert error={remove.error} testId="supplier-delete-error" />}
      <QueryError error={list.error} testId="suppliers-error" />
      {list.isPending && <Skeleton rows={4} label={t("suppliers.loading")} />}
      {list.data && suppliers.length === 0 && (
        <p className="cat-empty" data-testid="suppliers-empty">
          {filters.q ? t("suppliers.emptyFiltered", { q: filters.q }) : t("suppliers.empty")}
        </p>
      )}
      {suppliers.length > 0 && (
        <table
          className={list.isPlaceholderData ? "cat-table stale" : "cat-table"}
          aria-busy={list.isPlaceholderData}
          data-testid="suppliers-table"
        >
          <caption className="visually-hidden">{t("suppliers.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("supplier.name")}</th>
              <th scope="col">{t("supplier.cnpj")}</th>
              <th scope="col">{t("supplier.contact")}</th>
              <th scope="col">{t("supplier.state")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("ui.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {suppliers.map((supplier) => (
              <tr key={supplier.id} data-testid="supplier-row" data-supplier={supplier.id}>
                <td className="cat-name-cell">
                  <Link to={`/fornecedores/${supplier.id}`}>{supplier.name}</Link>
                </td>
                <td data-label={t("supplier.cnpj")}>{formatCnpj(supplier.cnpj)}</td>
                <td data-label={t("supplier.contact")}>
                  {supplier.email && <div className="cat-wrap">{supplier.email}</div>}
                  {supplier.whatsapp && <div>{formatPhone(supplier.whatsapp)}</div>}
                  {!supplier.email && !supplier.whatsapp && <span className="muted">—</span>}
                </td>
                <td data-label={t("supplier.state")}>
                  {supplier.active ? t("supplier.isActive") : <span className="cat-badge muted-badge">{t("supplier.inactive")}</span>}
                </td>
                <td>
                  <div className="cat-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => {
                        setEditing(supplier);
                        setNotice(null);
                      }}
                      aria-label={t("supplier.editNamed", { name: supplier.name })}
                    >
                      {t("ui.edit")}
                    </button>
                    {user.role === "admin" && (
                      <ConfirmAction
                        small
                        label={t("ui.delete")}
                        question={t("supplier.deleteQuestion", { name: supplier.name })}
                        confirmLabel={t("supplier.deleteConfirm")}
                        onConfirm={() => {
                          setNotice(null);
                          remove.mutate(supplier);
                        }}
                        pending={remove.isPending && remove.variables?.id === supplier.id}
                        testId={`supplier-delete-${supplier.id}`}
                      />
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.total > 0 && (
        <Pager
          page={list.data.page}
          pages={list.data.pages}
          total={list.data.total}
          totalExact={list.data.totalExact}
          onPage={(page) => show({ ...filters, page })}
          testId="suppliers-pager"
        />
      )}
    </section>
  );
}

function SupplierSearch({ q, onSearch }: { q: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const [draft, setDraft] = useState(q);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch(draft.trim());
  }

  return (
    <form className="cat-filters" role="search" onSubmit={submit} aria-label={t("suppliers.search")}>
      <div className="field cat-grow">
        <label htmlFor={`${id}-q`}>{t("suppliers.searchLabel")}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={draft}
          maxLength={100}
          onChange={(event) => setDraft(event.target.value)}
        />
      </div>
      <div className="buttons cat-filter-buttons">
        <button type="submit" className="button primary">
          {t("ui.search")}
        </button>
        {q && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft("");
              onSearch("");
            }}
          >
            {t("products.filters.clear")}
          </button>
        )}
      </div>
    </form>
  );
}
