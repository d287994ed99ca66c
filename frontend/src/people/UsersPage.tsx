import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";

import { useCurrentUser } from "../auth/SessionContext";
import { formatDate } from "../i18n/format";
import { deleteUser, listUsers, peopleKeys, updateUser, type User } from "./api";
import { BoundName } from "./BindingPicker";
import {
  MAX_USER_QUERY,
  NO_USER_FILTERS,
  ROLES,
  isRole,
  readUserFilters,
  withUserFilters,
  type UserFilters,
} from "./filters";
import { ConfirmDialog, EmptyList, ListStates, Notice, Pager, QueryError, TextField } from "./ui";
import { UserForm } from "./UserForm";
import { isSelf } from "./userForm";
import "./people.css";

/**
 * Usuários (admin): everyone who signs in, newest first, searched by name or e-mail, role and
 * state (all in the URL); create with a role and its binding, edit, deactivate and reactivate.
 */
export function UsersPage() {
  const { t } = useTranslation("people");
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const filters = readUserFilters(params);
  const [editing, setEditing] = useState<User | "new" | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const list = useQuery({
    queryKey: peopleKeys.userList(filters),
    queryFn: ({ signal }) => listUsers(filters, signal),
    placeholderData: keepPreviousData,
  });

  const remove = useMutation({
    mutationFn: (user: User) => deleteUser(user.id ?? ""),
    onSuccess: (_saved, user) => {
      setDeleting(null);
      setNotice(t("users.deactivated", { name: user.name }));
      void queryClient.invalidateQueries({ queryKey: peopleKeys.users() });
    },
  });

  const reactivate = useMutation({
    mutationFn: (user: User) => updateUser(user.id ?? "", { active: true }),
    onSuccess: (saved) => {
      setNotice(t("users.reactivated", { name: saved.name }));
      void queryClient.invalidateQueries({ queryKey: peopleKeys.users() });
    },
  });

  const go = (next: UserFilters) => setParams((current) => withUserFilters(current, next));
  const items = list.data?.items ?? [];
  const filtered = filters.q !== "" || filters.role !== "" || filters.active !== "";

  return (
    <section className="card wide people-page" aria-labelledby="users-title" data-testid="users-page">
      <div className="card-header">
        <h1 id="users-title">{t("users.title")}</h1>
        <button
          type="button"
          className="button primary"
          onClick={() => setEditing("new")}
          aria-expanded={editing === "new"}
          data-testid="user-new"
        >
          {t("users.new")}
        </button>
      </div>
      <Notice message={notice} onClose={() => setNotice(null)} />

      {editing !== null && (
        <div className="panel">
          <UserForm
            key={editing === "new" ? "new" : editing.id}
            user={editing === "new" ? undefined : editing}
            currentUserId={me.id}
            onCancel={() => setEditing(null)}
            onSaved={(saved, created) => {
              setEditing(null);
              setNotice(t(created ? "users.created" : "users.updated", { name: saved.name }));
            }}
          />
        </div>
      )}

      <UserSearch key={JSON.stringify({ ...filters, page: 1 })} filters={filters} onSearch={go} />

      <QueryError error={reactivate.error} testId="users-reactivate-error" />
      <ListStates
        list={list}
        count={items.length}
        errorTestId="users-error"
        empty={
          <EmptyList
            message={filtered ? t("users.noneFound") : t("users.none")}
            testId="users-empty"
            onFirstPage={filters.page > 1 ? () => go({ ...filters, page: 1 }) : undefined}
          />
        }
      >
        <table className="data-table people-table" data-testid="users-table">
          <caption className="visually-hidden">{t("users.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.fields.name")}</th>
              <th scope="col">{t("users.fields.role")}</th>
              <th scope="col">{t("users.binding")}</th>
              <th scope="col">{t("users.state")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((user) => (
              <tr key={user.id} data-testid="user-row" className={user.active === false ? "people-inactive" : undefined}>
                <td data-label={t("users.fields.name")}>
                  <strong>{user.name}</strong>
                  {isSelf(user, me.id) && <span className="people-tag">{t("users.you")}</span>}
                  <div className="muted small people-break">{user.email}</div>
                </td>
                <td data-label={t("users.fields.role")}>
                  {isRole(user.role) ? t(`roles.${user.role}`) : user.role}
                </td>
                <td data-label={t("users.binding")}>
                  {user.client_id ? (
                    <BoundName kind="client" id={user.client_id} />
                  ) : user.supplier_id ? (
                    <BoundName kind="supplier" id={user.supplier_id} />
                  ) : user.role === "client" || user.role === "supplier" ? (
                    <span className="field-error small">{t("users.unbound")}</span>
                  ) : (
                    <span className="muted">{t("none")}</span>
                  )}
                </td>
                <td data-label={t("users.state")}>
                  <span className={user.active === false ? "people-tag people-tag-bad" : "people-tag people-tag-ok"}>
                    {user.active === false ? t("users.inactive") : t("users.active")}
                  </span>
                  {user.created_at && (
                    <div className="muted small">{t("users.since", { date: formatDate(user.created_at) })}</div>
                  )}
                </td>
                <td>
                  <div className="actions people-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => setEditing(user)}
                      aria-label={t("users.editOne", { name: user.name })}
                    >
                      {t("common:edit")}
                    </button>
                    {user.active === false ? (
                      <button
                        type="button"
                        className="button small"
                        disabled={reactivate.isPending}
                        onClick={() => reactivate.mutate(user)}
                        aria-label={t("users.reactivateOne", { name: user.name })}
                      >
                        {t("users.reactivate")}
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button small people-danger"
                        onClick={() => {
                          remove.reset();
                          setDeleting(user);
                        }}
                        aria-label={t("users.deleteOne", { name: user.name })}
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
          label={t("users.pages")}
          page={list.data.page}
          pages={list.data.pages}
          total={list.data.total}
          totalExact={list.data.totalExact}
          onPage={(page) => go({ ...filters, page })}
        />
      )}

      {deleting && (
        <ConfirmDialog
          title={
            isSelf(deleting, me.id)
              ? t("users.deleteSelfTitle")
              : t("users.deleteTitle", { name: deleting.name })
          }
          confirmLabel={t("users.deleteConfirm")}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate(deleting)}
          onCancel={() => setDeleting(null)}
          testId="user-delete-dialog"
        >
          {isSelf(deleting, me.id) && <p className="field-error">{t("users.deleteSelfBody")}</p>}
          <p>{t("users.deleteBody")}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function UserSearch({ filters, onSearch }: { filters: UserFilters; onSearch: (filters: UserFilters) => void }) {
  const { t } = useTranslation("people");
  const [draft, setDraft] = useState(filters);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch({ ...draft, page: 1 });
  }

  const any = filters.q !== "" || filters.role !== "" || filters.active !== "";
  return (
    <form role="search" className="people-filters" onSubmit={submit} aria-label={t("users.search")}>
      <TextField
        id="users-filter-q"
        type="search"
        label={t("users.filterText")}
        value={draft.q}
        onChange={(q) => setDraft({ ...draft, q })}
        maxLength={MAX_USER_QUERY}
        markOptional={false}
      />
      <div className="field">
        <label htmlFor="users-filter-role">{t("users.fields.role")}</label>
        <select
          id="users-filter-role"
          value={draft.role}
          onChange={(event) => {
            const role = event.target.value;
            setDraft({ ...draft, role: isRole(role) ? role : "" });
          }}
        >
          <option value="">{t("all")}</option>
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="users-filter-active">{t("users.state")}</label>
        <select
          id="users-filter-active"
          value={draft.active}
          onChange={(event) => {
            const active = event.target.value;
            setDraft({ ...draft, active: active === "true" || active === "false" ? active : "" });
          }}
        >
          <option value="">{t("all")}</option>
          <option value="true">{t("users.activeOnly")}</option>
          <option value="false">{t("users.inactiveOnly")}</option>
        </select>
      </div>
      <div className="buttons people-filter-buttons">
        <button type="submit" className="button">
          {t("common:search")}
        </button>
        {any && (
          <button type="button" className="button" onClick={() => onSearch(NO_USER_FILTERS)}>
            {t("clearFilters")}
          </button>
        )}
      </div>
    </form>
  );
}
