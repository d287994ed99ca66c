import i18next from "i18next";

import type { ApiError } from "./client";

interface ErrorAlertProps {
  error: ApiError;
  testId: string;
  /** List the field errors too (a form that does not show them next to its fields). */
  withFieldErrors?: boolean;
}

/** A refused request as people read it: the API's message, and the id support asks for. */
export function ErrorAlert({ error, testId, withFieldErrors = false }: ErrorAlertProps) {
  const fieldMessages = withFieldErrors
    ? [...new Set(error.errors.map((fieldError) => fieldError.message))].filter(
        (message) => message && message !== error.message,
      )
    : [];
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <p>{error.message}</p>
      {fieldMessages.map((message) => (
        <p key={message} className="small">
          {message}
        </p>
      ))}
      {error.requestId && (
        <p className="muted small">{i18next.t("common:requestId", { id: error.requestId })}</p>
      )}
    </div>
  );
}
