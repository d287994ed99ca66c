/**
 * The client form: what is typed (a draft of strings), what is checked here before sending
 * (the services' own rules: a name, an e-mail, a CPF/CNPJ with its check digits, a phone with
 * the area code), and the bodies sent — the whole record to create, only what changed to edit.
 */
import type { ApiError } from "../api/client";
import type { Client, ClientCreateBody, ClientUpdate } from "./api";
import { documentProblem, formatDocument, formatPhone, onlyDigits, phoneProblem } from "../documents/documents";

export interface ClientDraft {
  name: string;
  email: string;
  document: string;
  phone: string;
  address: string;
  /** Receives WhatsApp notifications (false: the client opted out). */
  notifyWhatsapp: boolean;
}

export const CLIENT_FIELDS = ["name", "email", "document", "phone", "address", "notify_whatsapp"] as const;
export type ClientField = (typeof CLIENT_FIELDS)[number];

export const NAME_MAX = 200;
export const EMAIL_MAX = 254;
export const ADDRESS_MAX = 500;

export const EMPTY_CLIENT_DRAFT: ClientDraft = {
  name: "",
  email: "",
  document: "",
  phone: "",
  address: "",
  notifyWhatsapp: true,
};

/** The form filled with a client as it is (document and phone written the usual way). */
export function draftFromClient(client: Client): ClientDraft {
  return {
    name: client.name ?? "",
    email: client.email ?? "",
    document: formatDocument(client.document),
    phone: formatPhone(client.phone),
    address: client.address ?? "",
    notifyWhatsapp: client.notify_whatsapp ?? true,
  };
}

/** A problem with a field: a key of `people:errors` and its values. */
export interface Problem {
  key: string;
  values?: Record<string, number>;
}

const length = (value: string) => Array.from(value).length;

/** Roughly what the API's e-mail check accepts: something@domain.tld, no blanks. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the services would refuse, field by field (empty when it may be sent). */
export function clientProblems(draft: ClientDraft): Partial<Record<ClientField, Problem>> {
  const problems: Partial<Record<ClientField, Problem>> = {};
  const name = draft.name.trim();
  if (name === "") {
    problems.name = { key: "required" };
  } else if (length(name) > NAME_MAX) {
    problems.name = { key: "tooLong", values: { max: NAME_MAX } };
  }
  const email = draft.email.trim();
  if (email === "") {
    problems.email = { key: "required" };
  } else if (!EMAIL_SHAPE.test(email)) {
    problems.email = { key: "emailInvalid" };
  } else if (length(email) > EMAIL_MAX) {
    problems.email = { key: "tooLong", values: { max: EMAIL_MAX } };
  }
  if (draft.document.trim() === "") {
    problems.document = { key: "required" };
  } else {
    const problem = documentProblem(draft.document);
    if (problem) {
      problems.document = { key: problem };
    }
  }
  if (draft.phone.trim() !== "") {
    const problem = phoneProblem(draft.phone);
    if (problem) {
      problems.phone = { key: problem };
    }
  }
  if (length(draft.address.trim()) > ADDRESS_MAX) {
    problems.address = { key: "tooLong", values: { max: ADDRESS_MAX } };
  }
  return problems;
}

interface Normalised {
  name: string;
  email: string;
  document: string;
  phone: string | null;
  address: string | null;
  notify_whatsapp: boolean;
}

/** The draft as the API stores it: trimmed, e-mail in lower case, digits only, blanks null. */
function normalise(draft: ClientDraft): Normalised {
  const phone = onlyDigits(draft.phone);
  const address = draft.address.trim();
  return {
    name: draft.name.trim(),
    email: draft.email.trim().toLowerCase(),
    document: onlyDigits(draft.document),
    phone: phone === "" ? null : phone,
    address: address === "" ? null : address,
    notify_whatsapp: draft.notifyWhatsapp,
  };
}

/** POST /clients: every field (phone and address null when left blank). */
export function clientCreateBody(draft: ClientDraft): ClientCreateBody {
  return normalise(draft);
}

/**
 * PUT /clients/{id}: only the fields that changed (the API asks for that; an empty body is its
 * 400, so the form says "nothing changed" instead of sending one).
 */
export function clientUpdateBody(original: Client, draft: ClientDraft): ClientUpdate {
  const next = normalise(draft);
  const before: Normalised = {
    name: original.name ?? "",
    email: (original.email ?? "").toLowerCase(),
    document: original.document ?? "",
    phone: original.phone ?? null,
    address: original.address ?? null,
    notify_whatsapp: original.notify_whatsapp ?? true,
  };
  const body: ClientUpdate = {};
  for (const field of CLIENT_FIELDS) {
    if (next[field] !== before[field]) {
      Object.assign(body, { [field]: next[field] });
    }
  }
  return body;
}

/**
 * A refusal's field errors, by field ("items.0.quantity" stays whole), and the messages of
 * fields the form does not show (those go with the alert).
 */
export function fieldErrorsOf(
  error: ApiError | null | undefined,
  shown: readonly string[],
): { byField: Record<string, string>; others: string[] } {
  const byField: Record<string, string> = {};
  const others: string[] = [];
  for (const { field, message } of error?.errors ?? []) {
    if (!message) {
      continue;
    }
    if (shown.includes(field)) {
      byField[field] = byField[field] ? `${byField[field]} ${message}` : message;
    } else if (message !== error?.message && !others.includes(message)) {
      others.push(message);
    }
  }
  return { byField, others };
}
