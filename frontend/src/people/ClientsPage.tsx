import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { ApiError } from "../api/client";
import { useCurrentUser } from "../auth/SessionContext";
import { deleteClient, listClients, peopleKeys, type Client } from "./api";
import { ClientForm } from "./ClientForm";
import { formatDocument, formatPhone } from "../documents/documents";
import { NO_CLIENT_FILTERS, readClientFilters, withClientFilters, type ClientFilters } from "./filters";
import { ConfirmDialog, EmptyList, ListStates, Notice, Pager, TextField } from "./ui";
import "./people.css";

/**
 * Clientes (admin and staff): the clients by name, searched by name, e-mail or CPF/CNPJ, a page
 * at a time (all of it in the URL); create and edit here; delete (admin) after confirming.
 */
export function ClientsPage() {
  const { t } = useTranslation("people");
  const user = useCurrentUser();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const filters = readClientFilters(params);
  const [editing, setEditing] = useState<Client | "new" | null>(null);
  const [deleting, setDeleting] = useState<Client | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const list = useQuery({
    queryKey: peopleKeys.clientList(filters),
    queryFn: ({ signal }) => listClients(filters, signal),
    placeholderData: keepPreviousData,
  });

  const remove = useMutation({
    mutationFn: (client: Client) => deleteClient(client.id ?? ""),
    onSuccess: (_deleted, client) => {
      setDeleting(null);
      setNotice(t("clients.deleted", { name: client.name }));
      if (client.id) {
        queryClient.removeQueries({ queryKey: peopleKeys.client(client.id), exact: true });
      }
      void queryClient.invalidateQueries({ queryKey: peopleKeys.clients() });
    },
  });

  const go = (next: ClientFilters) => setParams((current) => withClientFilters(current, next));
  const items = list.data?.items ?? [];
  const filtered = filters.name !== "" || filters.email !== "" || filters.document !== "";
  const mayDelete = user.role === "admin";

  return (
    <section className="card wide people-page" aria-labelledby="clients-title" data-testid="clients-page">
      <div className="card-header">
        <h1 id="clients-title">{t("clients.title")}</h1>
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing("new")}
          aria-expanded={editing === "new"}
          data-testid="client-new"
        >
          {t("clients.new")}
        </button>
      </div>
      <Notice message={notice} onClose={() => setNotice(null)} />

      {editing !== null && (
        <div className="panel">
          <ClientForm
            key={editing === "new" ? "new" : editing.id}
            client={editing === "new" ? undefined : editing}
            onCancel={() => setEditing(null)}
            onSaved={(saved, created) => {
              setEditing(null);
              setNotice(t(created ? "clients.created" : "clients.updated", { name: saved.name }));
            }}
          />
        </div>
      )}

      <ClientSearch key={JSON.stringify({ ...filters, page: 1 })} filters={filters} onSearch={go} />

      <ListStates
        list={list}
        count={items.length}
        errorTestId="clients-error"
        empty={
          <EmptyList
            message={filtered ? t("clients.noneFound") : t("clients.none")}
            testId="clients-empty"
            onFirstPage={filters.page > 1 ? () => go({ ...filters, page: 1 }) : undefined}
          />
        }
      >
        <table className="data-table people-table" data-testid="clients-table">
          <caption className="visually-hidden">{t("clients.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("clients.fields.name")}</th>
              <th scope="col">{t("clients.fields.document")}</th>
              <th scope="col">{t("clients.fields.email")}</th>
              <th scope="col">{t("clients.fields.phone")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((client) => (
              <tr key={client.id} data-testid="client-row">
                <td data-label={t("clients.fields.name")}>
                  <Link to={`/clientes/${client.id}`}>{client.name}</Link>
                </td>
                <td data-label={t("clients.fields.document")}>{formatDocument(client.document)}</td>
                <td data-label={t("clients.fields.email")} className="people-break">
                  {client.email}
                </td>
                <td data-label={t("clients.fields.phone")}>
                  {client.phone ? formatPhone(client.phone) : <span className="muted">{t("none")}</span>}
                  {client.notify_whatsapp === false && (
                    <span className="people-tag" title={t("clients.optedOutHint")}>
                      {t("clients.optedOut")}
                    </span>
                  )}
                </td>
                <td>
                  <div className="actions people-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setEditing(client)}
                      aria-label={t("clients.editOne", { name: client.name })}
                    >
                      {t("common:edit")}
                    </button>
                    {mayDelete && (
                      <button
                        type="button"
                        className="button small people-danger"
                        onClick={() => {
                          remove.reset();
                          setDeleting(client);
                        }}
                        aria-label={t("clients.deleteOne", { name: client.name })}
                      >
                        {t("common:delete")}
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListStates>
      {list.data && (
        <Pager
          label={t("clients.pages")}
          page={list.data.page}
          pages={list.data.pages}
          total={list.data.total}
          totalExact={list.data.totalExact}
          onPage={(page) => go({ ...filters, page })}
        />
      )}

      {deleting && (
        <DeleteClientDialog
          client={deleting}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </section>
  );
}

/** "Excluir <nome>?": what deleting keeps (the orders) and, on a 409, why it could not. */
export function DeleteClientDialog({
  client,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  client: Client;
  busy: boolean;
  error: unknown;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("people");
  return (
    <ConfirmDialog
      title={t("clients.deleteTitle", { name: client.name })}
      confirmLabel={t("clients.deleteConfirm")}
      busy={busy}
      error={error}
      onConfirm={onConfirm}
      onCancel={onCancel}
      testId="client-delete-dialog"
    >
      <p>{t("clients.deleteBody")}</p>
      {error instanceof ApiError && error.status === 409 && <p className="field-error">{t("clients.deleteConflict")}</p>}
    </ConfirmDialog>
  );
}

function ClientSearch({ filters, onSearch }: { filters: ClientFilters; onSearch: (filters: ClientFilters) => void }) {
  const { t } = useTranslation("people");
  const [draft, setDraft] = useState(filters);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch({ ...draft, page: 1 });
  }

  const any = filters.name !== "" || filters.email !== "" || filters.document !== "";
  return (
    <form role="search" className="people-filters" onSubmit={submit} aria-label={t("clients.search")}>
      <TextField
        id="clients-filter-name"
        type="search"
        label={t("clients.fields.name")}
        value={draft.name}
        onChange={(name) => setDraft({ ...draft, name })}
        markOptional={false}
      />
      <TextField
        id="clients-filter-email"
        type="search"
        label={t("clients.fields.email")}
        value={draft.email}
        onChange={(email) => setDraft({ ...draft, email })}
        markOptional={false}
      />
      <TextField
        id="clients-filter-document"
        type="search"
        label={t("clients.filterDocument")}
        value={draft.document}
        onChange={(document) => setDraft({ ...draft, document })}
        inputMode="numeric"
        markOptional={false}
      />
      <div className="buttons people-filter-buttons">
        <button type="submit" className="button">
          {t("common:search")}
        </button>
        {any && (
          <button type="button" className="button" onClick={() => onSearch(NO_CLIENT_FILTERS)}>
            {t("clearFilters")}
          </button>
        )}
      </div>
    </form>
  );
}
