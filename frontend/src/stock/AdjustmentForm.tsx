import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { catalogueKeys } from "../catalogue/api";
import { formatNumber } from "../i18n/format";
import {
  REASONS,
  adjustStock,
  adjustmentBody,
  adjustmentProblem,
  reasonSign,
  stockKeys,
  type AdjustmentReason,
} from "./stock";

interface AdjustmentFormProps {
  productId: string;
  productName: string;
  unit: string;
  available: number;
  reserved: number;
  onDone: () => void;
  onCancel: () => void;
}

/**
 * A manual change of the units on the shelf, with its reason and a note, for the ledger. The
 * sign each reason allows is checked here; whether enough units are free is the stock
 * service's decision, and its 409 ("disponível 11, saída pedida 12") is shown as it says it.
 */
export function AdjustmentForm({ productId, productName, unit, available, reserved, onDone, onCancel }: AdjustmentFormProps) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const queryClient = useQueryClient();
  const [delta, setDelta] = useState("");
  const [reason, setReason] = useState<AdjustmentReason>("receipt");
  const [note, setNote] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const adjust = useMutation({
    mutationFn: () => adjustStock(productId, adjustmentBody(delta, reason, note)),
    onSuccess: () => {
      for (const key of [
        stockKeys.level(productId),
        stockKeys.movements(productId),
        catalogueKeys.product(productId),
        catalogueKeys.products(),
      ]) {
        void queryClient.invalidateQueries({ queryKey: key });
      }
      onDone();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const local = adjustmentProblem(delta, reason);
    setProblem(local ? t(`adjustment.problem.${local}`) : null);
    if (!local) {
      adjust.mutate();
    }
  }

  // e.g. 409: taking out more than is free (reserved units belong to orders).
  const refused = adjust.error instanceof ApiError ? adjust.error : null;
  const deltaError = problem ?? refused?.errors.find((error) => error.field === "delta")?.message ?? null;
  const noteError = refused?.errors.find((error) => error.field === "note")?.message ?? null;
  const sign = reasonSign(reason);

  return (
    <form className="panel cat-adjustment" onSubmit={submit} noValidate data-testid="adjustment">
      <h3>{t("adjustment.title", { name: productName })}</h3>
      <p className="muted small">
        {t("adjustment.now", { available: formatNumber(available), unit, reserved: formatNumber(reserved) })}
      </p>
      <div className="cat-form-grid">
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t("adjustment.reason")}</label>
          <select
            id={`${id}-reason`}
            value={reason}
            onChange={(event) => {
              setReason(event.target.value as AdjustmentReason);
              setProblem(null);
            }}
            aria-describedby={`${id}-sign`}
          >
            {REASONS.map((value) => (
              <option key={value} value={value}>
                {t(`adjustment.reasons.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-delta`}>{t("adjustment.delta")}</label>
          <input
            id={`${id}-delta`}
            type="number"
            step={1}
            inputMode="numeric"
            value={delta}
            onChange={(event) => setDelta(event.target.value)}
            aria-invalid={deltaError ? true : undefined}
            aria-describedby={`${id}-sign${deltaError ? ` ${id}-delta-error` : ""}`}
          />
          <p id={`${id}-sign`} className="muted small cat-hint">
            {t(`adjustment.sign.${sign}`)}
          </p>
          {deltaError && (
            <p id={`${id}-delta-error`} className="field-error">
              {deltaError}
            </p>
          )}
        </div>
        <div className="field cat-span">
          <label htmlFor={`${id}-note`}>{t("adjustment.note")}</label>
          <input
            id={`${id}-note`}
            value={note}
            maxLength={500}
            onChange={(event) => setNote(event.target.value)}
            placeholder={t("adjustment.notePlaceholder")}
            aria-invalid={noteError ? true : undefined}
            aria-describedby={noteError ? `${id}-note-error` : undefined}
          />
          {noteError && (
            <p id={`${id}-note-error`} className="field-error">
              {noteError}
            </p>
          )}
        </div>
      </div>
      {refused && (
        <div className="alert" role="alert" data-testid="adjustment-error">
          <p>{refused.message}</p>
          {refused.status === 409 && <p className="small">{t("adjustment.conflictHint")}</p>}
        </div>
      )}
      <div className="buttons">
        <button type="submit" className="button primary" disabled={adjust.isPending}>
          {adjust.isPending ? t("ui.saving") : t("adjustment.submit")}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t("ui.cancel")}
        </button>
      </div>
    </form>
  );
}
