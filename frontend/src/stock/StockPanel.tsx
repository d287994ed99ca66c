import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { formatNumber } from "../i18n/format";
import { AdjustmentForm } from "./AdjustmentForm";
import { Movements } from "./Movements";
import { getStockLevel, stockKeys } from "./stock";
import "../catalogue/catalogue.css";

interface StockPanelProps {
  productId: string;
  productName: string;
  unit: string;
}

/**
 * A product's stock: on the shelf, reserved for orders, free, and how far from the ideal
 * quantity (the stock service's figures and low-stock flag); a manual adjustment with its
 * reason; and the ledger of every change.
 */
export function StockPanel({ productId, productName, unit }: StockPanelProps) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const [adjusting, setAdjusting] = useState(false);
  const [recorded, setRecorded] = useState(false);
  const level = useQuery({
    queryKey: stockKeys.level(productId),
    queryFn: ({ signal }) => getStockLevel(productId, signal),
  });
  const data = level.data;

  return (
    <section className="card wide cat-page" aria-labelledby={`${id}-title`} data-testid="stock-panel">
      <div className="card-header">
        <h2 id={`${id}-title`}>{t("stock.title")}</h2>
        {!adjusting && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setAdjusting(true);
              setRecorded(false);
            }}
            data-testid="adjust-open"
          >
            {t("adjustment.open")}
          </button>
        )}
      </div>
      {level.error instanceof ApiError && <ErrorAlert error={level.error} testId="stock-error" />}
      <dl className="figures" aria-busy={level.isPending} data-testid="stock-figures" data-available={data?.available}>
        <Figure label={t("stock.onHand")} value={data && formatNumber(data.on_hand)} />
        <Figure label={t("stock.reserved")} value={data && formatNumber(data.reserved)} />
        <Figure label={t("stock.available")} value={data && formatNumber(data.available)} />
        <Figure
          label={t("stock.ideal")}
          value={data && formatNumber(data.ideal_quantity)}
          note={
            data && data.percent_of_ideal !== null
              ? t("stock.percentOfIdeal", { percent: formatNumber(data.percent_of_ideal) })
              : data
                ? t("stock.noIdeal")
                : undefined
          }
        />
      </dl>
      {data?.low_stock && (
        <p className="cat-badge low cat-low-note" data-testid="stock-low">
          {t("stock.lowNote")}
        </p>
      )}
      {adjusting && data && (
        <AdjustmentForm
          productId={productId}
          productName={productName}
          unit={unit}
          available={data.available}
          reserved={data.reserved}
          onDone={() => {
            setAdjusting(false);
            setRecorded(true);
          }}
          onCancel={() => setAdjusting(false)}
        />
      )}
      {recorded && (
        <p className="cat-notice" role="status" data-testid="adjustment-done">
          {t("adjustment.done")}
        </p>
      )}
      <Movements productId={productId} />
    </section>
  );
}

function Figure({ label, value, note }: { label: string; value: string | undefined; note?: string }) {
  return (
    <div className="figure">
      <dt>{label}</dt>
      <dd>{value ?? "…"}</dd>
      {note && <dd className="small">{note}</dd>}
    </div>
  );
}
