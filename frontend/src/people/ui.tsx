/** Small pieces the people pages share: fields with their errors, pages, dialogs, loading. */
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { Field } from "../ui/Field";
import type { Problem } from "./clientForm";

/** The text of a problem found here, or the API's message for the field. */
export function useProblemText() {
  const { t } = useTranslation("people");
  return (problem: Problem | undefined, apiMessage?: string): string | undefined =>
    problem ? t(`errors.${problem.key}`, problem.values) : apiMessage;
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: string;
  type?: "text" | "email" | "tel" | "password" | "search";
  required?: boolean;
  autoComplete?: string;
  inputMode?: "text" | "numeric" | "tel" | "email";
  maxLength?: number;
  multiline?: boolean;
  /** "(opcional)" after the label of a field that may stay blank (not on search filters). */
  markOptional?: boolean;
  testId?: string;
}

/** A labelled input; its hint and its error are read with it (aria-describedby). */
export function TextField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  type = "text",
  required = false,
  autoComplete,
  inputMode,
  maxLength,
  multiline = false,
  markOptional = true,
  testId,
}: TextFieldProps) {
  const { t } = useTranslation("people");
  const fullLabel = (
    <>
      {label}
      {!required && markOptional && <span className="muted small"> {t("optional")}</span>}
    </>
  );
  return (
    <Field id={id} label={fullLabel} error={error} hint={hint} hintClassName="people-hint">
      {(control) => {
        const common = { ...control, value, required, maxLength, "data-testid": testId };
        return multiline ? (
          <textarea {...common} onChange={(event) => onChange(event.target.value)} />
        ) : (
          <input
            {...common}
            type={type}
            autoComplete={autoComplete}
            inputMode={inputMode}
            onChange={(event) => onChange(event.target.value)}
          />
        );
      }}
    </Field>
  );
}

/** A request that failed: the API's refusal as it reads, or a generic line for anything else. */
export function QueryError({
  error,
  testId,
  others = [],
}: {
  error: unknown;
  testId: string;
  /** Field messages that no field on screen shows. */
  others?: string[];
}) {
  const { t } = useTranslation("people");
  if (!error) {
    return null;
  }
  if (error instanceof ApiError) {
    return (
      <>
        <ErrorAlert error={error} testId={testId} />
        {others.length > 0 && (
          <ul className="people-other-errors field-error">
            {others.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        )}
      </>
    );
  }
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <p>{t("errors.unexpected")}</p>
    </div>
  );
}

/** Placeholder rows while a list loads (the region is aria-busy; the text is for readers). */
export function Skeleton({ rows = 3 }: { rows?: number }) {
  const { t } = useTranslation("people");
  return (
    <div className="people-skeleton" aria-busy="true">
      <span className="visually-hidden" role="status">
        {t("common:loading")}
      </span>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="people-skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}

interface PagerProps {
  page: number;
  pages: number;
  total: number;
  totalExact: boolean;
  onPage: (page: number) => void;
  label: string;
}

/** "Página 2 de 5" with previous and next; the count of records found. */
export function Pager({ page, pages, total, totalExact, onPage, label }: PagerProps) {
  const { t } = useTranslation("people");
  const last = Math.max(pages, 1);
  return (
    <nav className="pager people-pager" aria-label={label}>
      <span className="muted small">
        {total > 0 && (totalExact ? t("found", { count: total }) : t("foundEstimate", { count: total }))}
      </span>
      {last > 1 && (
        <span className="buttons">
          <button type="button" className="button small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
            {t("common:previous")}
          </button>
          <span className="people-page-number" aria-current="page">
            {t("common:page", { page, pages: last })}
          </span>
          <button
            type="button"
            className="button small"
            disabled={page >= last}
            onClick={() => onPage(page + 1)}
          >
            {t("common:next")}
          </button>
        </span>
      )}
    </nav>
  );
}

/** Browsers open a <dialog> as a modal; without showModal (old engines, jsdom) it is shown inline. */
const MODAL_DIALOGS =
  typeof HTMLDialogElement !== "undefined" && typeof HTMLDialogElement.prototype.showModal === "function";

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  danger?: boolean;
  /** The refusal of the last attempt, shown inside the dialog. */
  error?: unknown;
  testId?: string;
}

/**
 * A modal question before something that cannot be taken back: the browser's <dialog> (focus
 * kept inside, Escape cancels), opened when mounted, the safe choice focused first.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy = false,
  danger = true,
  error,
  testId,
}: ConfirmDialogProps) {
  const { t } = useTranslation("people");
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open && typeof dialog.showModal === "function") {
      dialog.showModal();
    }
    cancelRef.current?.focus();
    return () => {
      if (dialog?.open && typeof dialog.close === "function") {
        dialog.close();
      }
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className="people-dialog"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      aria-modal="true"
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) {
          onCancel();
        }
      }}
      data-testid={testId}
      open={MODAL_DIALOGS ? undefined : true}
    >
      <h2 id={titleId}>{title}</h2>
      <div id={bodyId} className="people-dialog-body">
        {children}
      </div>
      <QueryError error={error} testId={testId ? `${testId}-error` : "people-confirm-error"} />
      <div className="buttons people-dialog-buttons">
        <button ref={cancelRef} type="button" className="button" onClick={onCancel} disabled={busy}>
          {t("common:cancel")}
        </button>
        <button
          type="button"
          className={danger ? "button people-danger" : "button primary"}
          onClick={onConfirm}
          disabled={busy}
          aria-busy={busy || undefined}
        >
          {busy ? t("working") : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** A line for screen readers and eyes after a change went through ("Cliente cadastrado."). */
export function Notice({ message, onClose }: { message: string | null; onClose: () => void }) {
  const { t } = useTranslation("people");
  return (
    <div role="status" aria-live="polite" className="people-notice-region">
      {message && (
        <p className="people-notice">
          <span>{message}</span>
          <button type="button" className="link" onClick={onClose}>
            {t("common:close")}
          </button>
        </p>
      )}
    </div>
  );
}


/** An empty list: why, and a way back to its first page when a later page is empty. */
export function EmptyList({
  message,
  testId,
  onFirstPage,
}: {
  message: string;
  testId: string;
  /** Given only when the list is past its first page. */
  onFirstPage?: () => void;
}) {
  const { t } = useTranslation("people");
  return (
    <div className="people-empty" data-testid={testId}>
      <p>{message}</p>
      {onFirstPage && (
        <button type="button" className="link" onClick={onFirstPage}>
          {t("firstPage")}
        </button>
      )}
    </div>
  );
}

/** A paged list's states, as every people list shows them: its error, a skeleton while the
 * first page loads, the empty message, and the rows (dimmed while the next page loads). */
export function ListStates({
  list,
  count,
  errorTestId,
  loading = list.isPending,
  empty,
  children,
}: {
  list: { error: unknown; isPending: boolean; isPlaceholderData: boolean; data?: unknown };
  /** The rows on this page. */
  count: number;
  errorTestId: string;
  /** When to show the skeleton (by default: the first page is on its way). */
  loading?: boolean;
  /** Shown when a page came back with no rows. */
  empty: ReactNode;
  children: ReactNode;
}) {
  return (
    <>
      <QueryError error={list.error} testId={errorTestId} />
      {loading && <Skeleton rows={5} />}
      {list.data !== undefined && count === 0 && empty}
      {count > 0 && (
        <div aria-busy={list.isPlaceholderData} className={list.isPlaceholderData ? "stale" : undefined}>
          {children}
        </div>
      )}
    </>
  );
}
