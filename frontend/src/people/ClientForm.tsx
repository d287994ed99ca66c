import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { createClient, peopleKeys, updateClient, type Client } from "./api";
import {
  ADDRESS_MAX,
  CLIENT_FIELDS,
  EMPTY_CLIENT_DRAFT,
  clientCreateBody,
  clientProblems,
  clientUpdateBody,
  draftFromClient,
  fieldErrorsOf,
  type ClientDraft,
  type ClientField,
} from "./clientForm";
import { QueryError, TextField, useProblemText } from "./ui";

interface ClientFormProps {
  /** The client being edited; none for a new one. */
  client?: Client;
  onSaved: (client: Client, created: boolean) => void;
  onCancel: () => void;
}

/** Create or edit a client: checked here first, then the API's refusals beside each field. */
export function ClientForm({ client, onSaved, onCancel }: ClientFormProps) {
  const { t } = useTranslation("people");
  const problemText = useProblemText();
  const queryClient = useQueryClient();
  const formId = useId();
  const [draft, setDraft] = useState<ClientDraft>(() => (client ? draftFromClient(client) : EMPTY_CLIENT_DRAFT));
  const [checked, setChecked] = useState(false);
  const [unchanged, setUnchanged] = useState(false);
  /** Fields typed in since the API refused: their old API error no longer applies. */
  const [edited, setEdited] = useState<ReadonlySet<string>>(new Set());

  const save = useMutation({
    mutationFn: (current: ClientDraft) =>
      client?.id
        ? updateClient(client.id, clientUpdateBody(client, current))
        : createClient(clientCreateBody(current)),
    onSuccess: (saved) => {
      if (saved.id) {
        queryClient.setQueryData(peopleKeys.client(saved.id), saved);
      }
      void queryClient.invalidateQueries({ queryKey: peopleKeys.clients() });
      onSaved(saved, !client);
    },
  });

  const problems = checked ? clientProblems(draft) : {};
  const apiError = save.error instanceof ApiError ? save.error : null;
  const { byField, others } = fieldErrorsOf(apiError, CLIENT_FIELDS);
  const errorOf = (field: ClientField) =>
    problemText(problems[field], edited.has(field) ? undefined : byField[field]);

  function change<K extends keyof ClientDraft>(key: K, field: ClientField, value: ClientDraft[K]) {
    setDraft((current) => ({ ...current, [key]: value }));
    setUnchanged(false);
    if (save.error) {
      setEdited((current) => new Set(current).add(field));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    setChecked(true);
    if (Object.keys(clientProblems(draft)).length > 0) {
      return;
    }
    if (client && Object.keys(clientUpdateBody(client, draft)).length === 0) {
      setUnchanged(true);
      return;
    }
    setEdited(new Set());
    save.mutate(draft);
  }

  const field = (name: string) => `${formId}-${name}`;
  return (
    <form className="form people-form" onSubmit={submit} noValidate data-testid="client-form" aria-busy={save.isPending}>
      <h3>{client ? t("clients.editTitle", { name: client.name }) : t("clients.newTitle")}</h3>
      <p className="muted small">{t("requiredNote")}</p>
      <TextField
        id={field("name")}
        label={t("clients.fields.name")}
        value={draft.name}
        onChange={(value) => change("name", "name", value)}
        error={errorOf("name")}
        required
        autoComplete="organization"
        testId="client-name"
      />
      <TextField
        id={field("email")}
        label={t("clients.fields.email")}
        type="email"
        value={draft.email}
        onChange={(value) => change("email", "email", value)}
        error={errorOf("email")}
        required
        autoComplete="email"
        inputMode="email"
        testId="client-email"
      />
      <TextField
        id={field("document")}
        label={t("clients.fields.document")}
        hint={t("clients.hints.document")}
        value={draft.document}
        onChange={(value) => change("document", "document", value)}
        error={errorOf("document")}
        required
        inputMode="numeric"
        testId="client-document"
      />
      <TextField
        id={field("phone")}
        label={t("clients.fields.phone")}
        hint={t("clients.hints.phone")}
        type="tel"
        value={draft.phone}
        onChange={(value) => change("phone", "phone", value)}
        error={errorOf("phone")}
        autoComplete="tel"
        inputMode="tel"
        testId="client-phone"
      />
      <TextField
        id={field("address")}
        label={t("clients.fields.address")}
        value={draft.address}
        onChange={(value) => change("address", "address", value)}
        error={errorOf("address")}
        maxLength={ADDRESS_MAX}
        multiline
        testId="client-address"
      />
      <div className="field">
        <label className="check people-check" htmlFor={field("notify")}>
          <input
            id={field("notify")}
            type="checkbox"
            checked={draft.notifyWhatsapp}
            onChange={(event) => change("notifyWhatsapp", "notify_whatsapp", event.target.checked)}
            aria-describedby={`${field("notify")}-hint`}
            data-testid="client-notify"
          />
          {t("clients.fields.notifyWhatsapp")}
        </label>
        <p id={`${field("notify")}-hint`} className="muted small people-hint">
          {t("clients.hints.notifyWhatsapp")}
        </p>
        {errorOf("notify_whatsapp") && <p className="field-error">{errorOf("notify_whatsapp")}</p>}
      </div>
      <QueryError error={save.error} testId="client-form-error" others={others} />
      {unchanged && (
        <p className="muted" role="status">
          {t("nothingChanged")}
        </p>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={save.isPending} data-testid="client-save">
          {save.isPending ? t("saving") : t("common:save")}
        </button>
        <button type="button" className="button" onClick={onCancel} disabled={save.isPending}>
          {t("common:cancel")}
        </button>
      </div>
    </form>
  );
}
