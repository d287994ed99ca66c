/**
 * A refused request's field errors (`errors: [{field, message}]`), sorted for a form: the
 * messages that belong beside one of its fields, and the rest (no field, or a field the form
 * does not show), which go in the alert above it.
 */
import { ApiError } from "../api/client";

/** The first message of each field the API named. */
export function fieldMessages(error: unknown): Record<string, string> {
  const messages: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const { field, message } of error.errors) {
      if (field && message && !(field in messages)) {
        messages[field] = message;
      }
    }
  }
  return messages;
}

/** The messages that cannot be shown beside a field of this form, without repeats. */
export function otherMessages(error: unknown, fields: readonly string[]): string[] {
  if (!(error instanceof ApiError)) {
    return [];
  }
  const known = new Set(fields);
  const rest = error.errors
    .filter(({ field, message }) => message && (!field || !known.has(field)))
    .map(({ field, message }) => (field ? `${field}: ${message}` : message))
    .filter((message) => message !== error.message);
  return [...new Set(rest)];
}
