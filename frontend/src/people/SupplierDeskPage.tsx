import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { useCurrentUser } from "../auth/SessionContext";
import { NO_FIGURE, formatDate, formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import { ORDER_STATUSES, isOrderStatus } from "../orders/statuses";
import { listSupplierOrders, peopleKeys } from "./api";
import {
  readSupplierOrderFilters,
  withSupplierOrderFilters,
  type SupplierOrderFilters,
} from "./filters";
import { EmptyList, ListStates, Pager } from "./ui";
import "./people.css";

/**
 * Meus pedidos de reposição (supplier): the orders the API shows the signed-in supplier — the
 * replenishment orders addressed to it, and sales holding its products — newest first, by
 * status, a page at a time (in the URL).
 */
export function SupplierDeskPage() {
  const { t } = useTranslation("people");
  const me = useCurrentUser();
  const [params, setParams] = useSearchParams();
  const filters = readSupplierOrderFilters(params);
  const bound = Boolean(me.supplier_id);

  const list = useQuery({
    queryKey: peopleKeys.supplierOrderList(filters),
    queryFn: ({ signal }) => listSupplierOrders(filters, signal),
    placeholderData: keepPreviousData,
    enabled: bound,
  });

  const go = (next: SupplierOrderFilters) => setParams((current) => withSupplierOrderFilters(current, next));
  const items = list.data?.items ?? [];

  return (
    <section className="card wide people-page" aria-labelledby="supplier-desk-title" data-testid="supplier-desk">
      <div className="card-header">
        <h1 id="supplier-desk-title">{t("supplier.title")}</h1>
        <div className="field people-inline-field">
          <label htmlFor="supplier-status-filter">{t("orders.status")}</label>
          <select
            id="supplier-status-filter"
            value={filters.status}
            onChange={(event) => {
              const status = event.target.value;
              go({ status: isOrderStatus(status) ? status : "", page: 1 });
            }}
            data-testid="supplier-status-filter"
          >
            <option value="">{t("all")}</option>
            {ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`common:status.${status}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted small">{t("supplier.intro")}</p>

      {!bound && (
        <p className="alert" role="alert" data-testid="supplier-unbound">
          {t("supplier.unbound")}
        </p>
      )}
      <ListStates
        list={list}
        count={items.length}
        errorTestId="supplier-orders-error"
        loading={bound && list.isPending}
        empty={
          <EmptyList
            message={filters.status ? t("supplier.noneWithStatus") : t("supplier.none")}
            testId="supplier-orders-empty"
            onFirstPage={filters.page > 1 ? () => go({ ...filters, page: 1 }) : undefined}
          />
        }
      >
        <table className="data-table people-table" data-testid="supplier-orders-table">
          <caption className="visually-hidden">{t("supplier.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("orders.number")}</th>
              <th scope="col">{t("orders.type")}</th>
              <th scope="col">{t("orders.createdAt")}</th>
              <th scope="col">{t("orders.deliveryDate")}</th>
              <th scope="col">{t("orders.status")}</th>
              <th scope="col">{t("orders.items")}</th>
              <th scope="col">{t("orders.total")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((order) => (
              <tr key={order.id} data-testid="supplier-order-row" data-status={order.status}>
                <td data-label={t("orders.number")}>
                  <Link to={`/fornecedor/pedidos/${order.id}`}>{t("orders.numbered", { number: order.number })}</Link>
                </td>
                <td data-label={t("orders.type")}>
                  {t(`orders.types.${order.type}`, { defaultValue: order.type ?? NO_FIGURE })}
                </td>
                <td data-label={t("orders.createdAt")}>
                  {order.created_at ? formatDateTime(order.created_at) : NO_FIGURE}
                </td>
                <td data-label={t("orders.deliveryDate")}>
                  {order.desired_delivery_date ? formatDate(order.desired_delivery_date) : NO_FIGURE}
                </td>
                <td data-label={t("orders.status")}>
                  <span className={`people-status people-status-${order.status}`}>
                    {t(`common:status.${order.status}`, { defaultValue: order.status })}
                  </span>
                </td>
                <td data-label={t("orders.items")}>{formatNumber(order.item_count ?? 0)}</td>
                <td data-label={t("orders.total")}>{formatMoney(order.total ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ListStates>
      {list.data && (
        <Pager
          label={t("supplier.pages")}
          page={list.data.page}
          pages={list.data.pages}
          total={list.data.total}
          totalExact={list.data.totalExact}
          onPage={(page) => go({ ...filters, page })}
        />
      )}
    </section>
  );
}
