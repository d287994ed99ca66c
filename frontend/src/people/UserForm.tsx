import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { createUser, peopleKeys, updateUser, type User, type UserUpdate } from "./api";
import { BindingPicker } from "./BindingPicker";
import { fieldErrorsOf } from "./clientForm";
import { ROLES, isRole } from "./filters";
import { ConfirmDialog, QueryError, TextField, useProblemText } from "./ui";
import {
  EMPTY_USER_DRAFT,
  USER_FIELDS,
  bindingOf,
  draftFromUser,
  removesOwnAdmin,
  userCreateBody,
  userProblems,
  userUpdateBody,
  withRole,
  type UserDraft,
  type UserField,
} from "./userForm";

interface UserFormProps {
  /** The user being edited; none for a new one. */
  user?: User;
  /** The signed-in admin (who may not take away its own admin access by accident). */
  currentUserId: string;
  onSaved: (user: User, created: boolean) => void;
  onCancel: () => void;
}

/** Create a user with its role and binding, or change them (only what changed is sent). */
export function UserForm({ user, currentUserId, onSaved, onCancel }: UserFormProps) {
  const { t } = useTranslation("people");
  const problemText = useProblemText();
  const queryClient = useQueryClient();
  const formId = useId();
  const creating = !user;
  const [draft, setDraft] = useState<UserDraft>(() => (user ? draftFromUser(user) : EMPTY_USER_DRAFT));
  const [checked, setChecked] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());
  /** A change that takes away the signed-in admin's own access, waiting for a yes. */
  const [pending, setPending] = useState<UserUpdate | null>(null);

  const save = useMutation({
    mutationFn: (body: UserUpdate | null) =>
      user?.id ? updateUser(user.id, body ?? {}) : createUser(userCreateBody(draft)),
    onSuccess: (saved) => {
      setPending(null);
      void queryClient.invalidateQueries({ queryKey: peopleKeys.users() });
      onSaved(saved, creating);
    },
    onError: () => setPending(null),
  });

  const problems = checked ? userProblems(draft, creating) : {};
  const apiError = save.error instanceof ApiError ? save.error : null;
  const { byField, others } = fieldErrorsOf(apiError, USER_FIELDS);
  const errorOf = (field: UserField) =>
    problemText(problems[field], edited.has(field) ? undefined : byField[field]);

  function update(next: UserDraft, fields: UserField[]) {
    setDraft(next);
    setUnchanged(false);
    if (save.error) {
      setEdited((current) => new Set([...current, ...fields]));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(userProblems(draft, creating)).length > 0) {
      return;
    }
    setEdited(new Set());
    if (!user) {
      save.mutate(null);
      return;
    }
    const body = userUpdateBody(user, draft);
    if (Object.keys(body).length === 0) {
      setUnchanged(true);
      return;
    }
    if (removesOwnAdmin(user, currentUserId, body)) {
      save.reset();
      setPending(body);
      return;
    }
    save.mutate(body);
  }

  const field = (name: string) => `${formId}-${name}`;
  const binding = bindingOf(draft.role);
  const selfAdmin = user !== undefined && user.id === currentUserId && user.role === "admin";
  const losingOwnAdmin = selfAdmin && (draft.role !== "admin" || !draft.active);

  return (
    <form className="form people-form" onSubmit={submit} noValidate data-testid="user-form" aria-busy={save.isPending}>
      <h3>{user ? t("users.editTitle", { name: user.name }) : t("users.newTitle")}</h3>
      <p className="muted small">{t("requiredNote")}</p>
      <TextField
        id={field("name")}
        label={t("users.fields.name")}
        value={draft.name}
        onChange={(name) => update({ ...draft, name }, ["name"])}
        error={errorOf("name")}
        required
        autoComplete="off"
        testId="user-name"
      />
      <TextField
        id={field("email")}
        label={t("users.fields.email")}
        type="email"
        value={draft.email}
        onChange={(email) => update({ ...draft, email }, ["email"])}
        error={errorOf("email")}
        required
        autoComplete="off"
        inputMode="email"
        testId="user-email"
      />
      <TextField
        id={field("password")}
        label={creating ? t("users.fields.password") : t("users.fields.newPassword")}
        hint={creating ? t("users.hints.password") : t("users.hints.newPassword")}
        type="password"
        value={draft.password}
        onChange={(password) => update({ ...draft, password }, ["password"])}
        error={errorOf("password")}
        required={creating}
        autoComplete="new-password"
        testId="user-password"
      />
      <div className="field">
        <label htmlFor={field("role")}>{t("users.fields.role")}</label>
        <select
          id={field("role")}
          value={draft.role}
          onChange={(event) => {
            if (isRole(event.target.value)) {
              update(withRole(draft, event.target.value), ["role", "client_id", "supplier_id"]);
            }
          }}
          aria-invalid={errorOf("role") ? true : undefined}
          aria-describedby={`${field("role")}-hint${errorOf("role") ? ` ${field("role")}-error` : ""}`}
          data-testid="user-role"
        >
          {ROLES.map((role) => (
            <option key={role} value={role}>
              {t(`roles.${role}`)}
            </option>
          ))}
        </select>
        <p id={`${field("role")}-hint`} className="muted small people-hint">
          {t(`roleHints.${draft.role}`)}
        </p>
        {errorOf("role") && (
          <p id={`${field("role")}-error`} className="field-error">
            {errorOf("role")}
          </p>
        )}
      </div>
      {binding === "client" && (
        <BindingPicker
          kind="client"
          value={draft.clientId}
          onChange={(clientId) => update({ ...draft, clientId }, ["client_id"])}
          error={errorOf("client_id")}
        />
      )}
      {binding === "supplier" && (
        <BindingPicker
          kind="supplier"
          value={draft.supplierId}
          onChange={(supplierId) => update({ ...draft, supplierId }, ["supplier_id"])}
          error={errorOf("supplier_id")}
        />
      )}
      <div className="field">
        <label className="check people-check" htmlFor={field("active")}>
          <input
            id={field("active")}
            type="checkbox"
            checked={draft.active}
            onChange={(event) => update({ ...draft, active: event.target.checked }, ["active"])}
            aria-describedby={`${field("active")}-hint`}
            data-testid="user-active"
          />
          {t("users.fields.active")}
        </label>
        <p id={`${field("active")}-hint`} className="muted small people-hint">
          {t("users.hints.active")}
        </p>
        {errorOf("active") && <p className="field-error">{errorOf("active")}</p>}
      </div>
      {losingOwnAdmin && (
        <p className="alert people-warning" role="alert" data-testid="user-self-warning">
          {t("users.selfWarning")}
        </p>
      )}
      <QueryError error={save.error} testId="user-form-error" others={others} />
      {unchanged && (
        <p className="muted" role="status">
          {t("nothingChanged")}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={save.isPending} data-testid="user-save">
          {save.isPending ? t("saving") : t("common:save")}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={save.isPending}>
          {t("common:cancel")}
        </button>
      </div>

      {pending && (
        <ConfirmDialog
          title={t("users.selfConfirmTitle")}
          confirmLabel={t("users.selfConfirm")}
          busy={save.isPending}
          onConfirm={() => save.mutate(pending)}
          onCancel={() => setPending(null)}
          testId="user-self-dialog"
        >
          <p>{t("users.selfConfirmBody")}</p>
        </ConfirmDialog>
      )}
    </form>
  );
}
