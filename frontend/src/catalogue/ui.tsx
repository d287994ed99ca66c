/** Small pieces the catalogue's pages share: labelled fields, a pager, a confirmation. */
import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { formatNumber } from "../i18n/format";
import { Field as SharedField, type FieldProps } from "../ui/Field";
import { otherMessages } from "./fieldErrors";

/** A label, its control, a hint and the field's error (its data-testid: `${id}-error`). */
export function Field(props: Omit<FieldProps, "hintClassName" | "errorTestId">) {
  return <SharedField {...props} hintClassName="cat-hint" errorTestId={`${props.id}-error`} />;
}

/** A refused request above a form: its message, and the field errors no field shows. */
export function FormError({ error, fields, testId }: { error: unknown; fields: readonly string[]; testId: string }) {
  if (!(error instanceof ApiError)) {
    return null;
  }
  const rest = otherMessages(error, fields);
  return (
    <div className="cat-form-error">
      <ErrorAlert error={error} testId={testId} />
      {rest.length > 0 && (
        <ul className="field-error cat-other-errors">
          {rest.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Any failure of a query, as people read it. */
export function QueryError({ error, testId }: { error: unknown; testId: string }) {
  const { t } = useTranslation("catalogue");
  if (!error) {
    return null;
  }
  if (error instanceof ApiError) {
    return <ErrorAlert error={error} testId={testId} withFieldErrors />;
  }
  return (
    <p className="alert" role="alert" data-testid={testId}>
      {t("ui.unexpected")}
    </p>
  );
}

/** Grey rows where a table is about to be, marked busy. */
export function Skeleton({ rows = 3, label }: { rows?: number; label?: string }) {
  const { t } = useTranslation("catalogue");
  return (
    <div className="cat-skeleton" aria-busy="true" role="status" aria-label={label ?? t("ui.loading")}>
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="cat-skeleton-row" />
      ))}
      <span className="visually-hidden">{label ?? t("ui.loading")}</span>
    </div>
  );
}

interface PagerProps {
  page: number;
  pages: number;
  total: number;
  totalExact?: boolean;
  onPage: (page: number) => void;
  testId?: string;
}

/** Previous / next, where we are, and how many there are. */
export function Pager({ page, pages, total, totalExact = true, onPage, testId }: PagerProps) {
  const { t } = useTranslation("catalogue");
  const count = totalExact ? formatNumber(total) : t("ui.moreThan", { count: formatNumber(total) });
  return (
    <nav className="cat-pager" aria-label={t("ui.pagination")} data-testid={testId}>
      <button type="button" className="button small" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        {t("ui.previous")}
      </button>
      <span className="small">
        {t("ui.page", { page: formatNumber(page), pages: formatNumber(Math.max(pages, 1)) })} ·{" "}
        {t("ui.total", { count })}
      </span>
      <button type="button" className="button small" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t("ui.next")}
      </button>
    </nav>
  );
}

interface ConfirmActionProps {
  /** The button that asks ("Excluir"). */
  label: string;
  /** The question, naming what goes ("Excluir o produto Arroz?"). */
  question: string;
  /** The button that does it ("Excluir produto"). */
  confirmLabel: string;
  onConfirm: () => void;
  pending?: boolean;
  testId: string;
  small?: boolean;
}

/**
 * A destructive action in two steps: the button opens a question with "Cancelar" (focused,
 * the safe choice) and the confirmation; Escape or "Cancelar" closes it and focus goes back.
 */
export function ConfirmAction({ label, question, confirmLabel, onConfirm, pending, testId, small }: ConfirmActionProps) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const [asking, setAsking] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  useEffect(() => {
    if (!asking && returnFocus.current) {
      returnFocus.current = false;
      trigger.current?.focus();
    }
  }, [asking]);

  function close() {
    returnFocus.current = true;
    setAsking(false);
  }

  const size = small ? " small" : "";
  if (!asking) {
    return (
      <button
        ref={trigger}
        type="button"
        className={`button danger${size}`}
        onClick={() => setAsking(true)}
        disabled={pending}
        data-testid={testId}
      >
        {pending ? t("ui.deleting") : label}
      </button>
    );
  }
  return (
    <div
      className="cat-confirm"
      role="alertdialog"
      aria-labelledby={`${id}-question`}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          close();
        }
      }}
      data-testid={`${testId}-confirm`}
    >
      <p id={`${id}-question`}>{question}</p>
      <div className="buttons">
        <button type="button" className={`button${size}`} onClick={close} autoFocus>
          {t("ui.cancel")}
        </button>
        <button
          type="button"
          className={`button danger${size}`}
          onClick={() => {
            close();
            onConfirm();
          }}
          data-testid={`${testId}-yes`}
        >
          {confirmLabel}
        </button>
      </div>
    </div>
  );
}
