import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { formatDateTime, formatNumber } from "../i18n/format";
import { Pager, Skeleton } from "../catalogue/ui";
import { CAUSES, listMovements, stockKeys } from "./stock";

/** "+10", "−3", "0": a change with its sign. */
export function signed(value: number): string {
  if (value > 0) {
    return `+${formatNumber(value)}`;
  }
  return value < 0 ? `−${formatNumber(-value)}` : "0";
}

/** The ledger of a product, newest first, a page at a time, narrowed to one cause. */
export function Movements({ productId }: { productId: string }) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const [cause, setCause] = useState("");
  const [page, setPage] = useState(1);
  const movements = useQuery({
    queryKey: stockKeys.movementPage(productId, cause, page),
    queryFn: ({ signal }) => listMovements(productId, cause, page, signal),
    placeholderData: keepPreviousData,
  });
  const items = movements.data?.items ?? [];

  return (
    <div className="cat-ledger" data-testid="movements">
      <div className="card-header">
        <h3 id={`${id}-title`}>{t("movements.title")}</h3>
        <div className="field cat-inline-field">
          <label htmlFor={`${id}-cause`}>{t("movements.cause")}</label>
          <select
            id={`${id}-cause`}
            value={cause}
            onChange={(event) => {
              setCause(event.target.value);
              setPage(1);
            }}
          >
            <option value="">{t("movements.allCauses")}</option>
            {CAUSES.map((value) => (
              <option key={value} value={value}>
                {t(`movements.causes.${value}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {movements.error instanceof ApiError && <ErrorAlert error={movements.error} testId="movements-error" />}
      {movements.isPending && <Skeleton rows={3} label={t("movements.loading")} />}
      {movements.data && items.length === 0 && (
        <p className="cat-empty">{cause ? t("movements.emptyCause") : t("movements.empty")}</p>
      )}
      {items.length > 0 && (
        <table
          className="cat-table"
          aria-labelledby={`${id}-title`}
          aria-busy={movements.isPlaceholderData}
          data-testid="movements-table"
        >
          <thead>
            <tr>
              <th scope="col">{t("movements.when")}</th>
              <th scope="col">{t("movements.cause")}</th>
              <th scope="col">{t("movements.deltaOnHand")}</th>
              <th scope="col">{t("movements.deltaReserved")}</th>
              <th scope="col">{t("movements.after")}</th>
              <th scope="col">{t("movements.details")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((movement) => (
              <tr key={movement.id} data-testid="movement-row" data-cause={movement.cause}>
                <td className="cat-name-cell">{formatDateTime(movement.created_at)}</td>
                <td data-label={t("movements.cause")}>{t(`movements.causes.${movement.cause}`)}</td>
                <td data-label={t("movements.deltaOnHand")}>{signed(movement.delta_on_hand)}</td>
                <td data-label={t("movements.deltaReserved")}>{signed(movement.delta_reserved)}</td>
                <td data-label={t("movements.after")}>
                  {t("movements.afterValues", {
                    onHand: formatNumber(movement.on_hand_after),
                    reserved: formatNumber(movement.reserved_after),
                    available: formatNumber(movement.available_after),
                  })}
                </td>
                <td data-label={t("movements.details")}>
                  {movement.order_id && (
                    <Link to={`/pedidos/${movement.order_id}`}>{t("movements.order")}</Link>
                  )}
                  {movement.note && <div>{movement.note}</div>}
                  <div className="muted small">{t("movements.by", { actor: movement.actor })}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {movements.data && movements.data.total > 0 && (
        <Pager
          page={movements.data.page}
          pages={movements.data.pages}
          total={movements.data.total}
          totalExact={movements.data.totalExact}
          onPage={setPage}
          testId="movements-pager"
        />
      )}
    </div>
  );
}
