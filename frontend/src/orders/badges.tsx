import { useTranslation } from "react-i18next";

/** An order's status as a coloured label (the colour repeats the word, never replaces it). */
export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation("orders");
  return (
    <span className={`orders-badge status-${status}`} data-status={status}>
      {t(`common:status.${status}`, { defaultValue: status })}
    </span>
  );
}

/** Where the stock stands for an order: awaiting, reserved, rejected, not required. */
export function StockBadge({ stockStatus }: { stockStatus: string }) {
  const { t } = useTranslation("orders");
  return (
    <span className={`orders-badge stock-${stockStatus}`} data-stock-status={stockStatus}>
      {t(`common:stockStatus.${stockStatus}`, { defaultValue: stockStatus })}
    </span>
  );
}
