import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { useCurrentUser } from "../auth/SessionContext";
import { formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import { catalogueKeys, deleteSupplier, getSupplier, getSupplierOrders } from "./api";
import { ORDER_STATUSES } from "../orders/statuses";
import { PAGE_SIZE, pageCount, type SupplierOrderFilters } from "./filters";
import { BackLink } from "./ProductPage";
import { SupplierForm } from "./SupplierForm";
import { formatCnpj, formatPhone } from "./supplierForm";
import type { Supplier } from "./types";
import { ConfirmAction, Pager, QueryError, Skeleton } from "./ui";
import "./catalogue.css";

/** A supplier (/fornecedores/:id): its record, editing, deletion (admin) and its orders. */
export function SupplierPage() {
  const { id = "" } = useParams();
  return <SupplierDetail key={id} id={id} />;
}

function SupplierDetail({ id }: { id: string }) {
  const { t } = useTranslation("catalogue");
  const user = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);
  const supplier = useQuery({
    queryKey: catalogueKeys.supplier(id),
    queryFn: ({ signal }) => getSupplier(id, signal),
  });
  const remove = useMutation({
    mutationFn: () => deleteSupplier(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: catalogueKeys.supplier(id) });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.suppliers() });
      void queryClient.invalidateQueries({ queryKey: catalogueKeys.products() });
      navigate("/fornecedores", { replace: true });
    },
  });

  if (supplier.isPending) {
    return (
      <section className="card wide cat-page" aria-busy="true">
        <BackLink to="/fornecedores" label={t("suppliers.back")} />
        <Skeleton rows={4} label={t("supplier.loading")} />
      </section>
    );
  }
  if (supplier.isError) {
    const gone = supplier.error instanceof ApiError && supplier.error.status === 404;
    return (
      <section className="card wide cat-page" data-testid="supplier-missing">
        <BackLink to="/fornecedores" label={t("suppliers.back")} />
        {gone ? <p className="cat-empty">{t("supplier.notFound")}</p> : <QueryError error={supplier.error} testId="supplier-error" />}
      </section>
    );
  }

  const data = supplier.data;
  return (
    <>
      <section className="card wide cat-page" aria-labelledby="supplier-title" data-testid="supplier-page">
        <BackLink to="/fornecedores" label={t("suppliers.back")} />
        <div className="card-header">
          <h1 id="supplier-title">
            {data.name}
            {!data.active && <span className="cat-badge muted-badge cat-title-badge">{t("supplier.inactive")}</span>}
          </h1>
          <div className="cat-actions">
            {!editing && (
              <button
                type="button"
                className="button"
                onClick={() => {
                  setEditing(true);
                  setSaved(false);
                }}
                data-testid="supplier-edit"
              >
                {t("ui.edit")}
              </button>
            )}
            {user.role === "admin" && (
              <ConfirmAction
                label={t("ui.delete")}
                question={t("supplier.deleteQuestion", { name: data.name })}
                confirmLabel={t("supplier.deleteConfirm")}
                onConfirm={() => remove.mutate()}
                pending={remove.isPending}
                testId="supplier-delete"
              />
            )}
          </div>
        </div>
        {remove.error instanceof ApiError && <ErrorAlert error={remove.error} testId="supplier-delete-error" />}
        {saved && (
          <p className="cat-notice" role="status">
            {t("supplier.saved", { name: data.name })}
          </p>
        )}
        {editing ? (
          <SupplierForm
            supplier={data}
            onSaved={() => {
              setEditing(false);
              setSaved(true);
            }}
            onCancel={() => setEditing(false)}
          />
        ) : (
          <SupplierDetails supplier={data} />
        )}
        <p>
          <Link to={`/produtos?supplier_id=${data.id}`}>{t("supplier.products")}</Link>
        </p>
      </section>
      <SupplierOrdersCard supplierId={data.id} />
    </>
  );
}

function SupplierDetails({ supplier }: { supplier: Supplier }) {
  const { t } = useTranslation("catalogue");
  return (
    <dl className="details cat-details" data-testid="supplier-details">
      <dt>{t("supplier.cnpj")}</dt>
      <dd>{formatCnpj(supplier.cnpj)}</dd>
      <dt>{t("supplier.email")}</dt>
      <dd className="cat-wrap">{supplier.email ? <a href={`mailto:${supplier.email}`}>{supplier.email}</a> : "—"}</dd>
      <dt>{t("supplier.whatsapp")}</dt>
      <dd>{supplier.whatsapp ? formatPhone(supplier.whatsapp) : "—"}</dd>
      <dt>{t("supplier.notifications")}</dt>
      <dd>{supplier.notify_whatsapp ? t("supplier.notifyYes") : t("supplier.notifyNo")}</dd>
      <dt>{t("supplier.state")}</dt>
      <dd>{supplier.active ? t("supplier.isActive") : t("supplier.inactiveLong")}</dd>
      <dt>{t("supplier.createdAt")}</dt>
      <dd>{formatDateTime(supplier.created_at)}</dd>
    </dl>
  );
}

function SupplierOrdersCard({ supplierId }: { supplierId: string }) {
  const { t } = useTranslation("catalogue");
  const id = useId();
  const [filters, setFilters] = useState<SupplierOrderFilters>({ status: "", page: 1 });
  const orders = useQuery({
    queryKey: catalogueKeys.supplierOrderPage(supplierId, filters),
    queryFn: ({ signal }) => getSupplierOrders(supplierId, filters, signal),
    placeholderData: keepPreviousData,
  });
  const data = orders.data;
  const items = data?.orders ?? [];
  const pages = data ? pageCount(data.summary.total_orders, PAGE_SIZE) : 1;

  return (
    <section className="card wide cat-page" aria-labelledby={`${id}-title`} data-testid="supplier-orders">
      <div className="card-header">
        <h2 id={`${id}-title`}>{t("supplierOrders.title")}</h2>
        <div className="field cat-inline-field">
          <label htmlFor={`${id}-status`}>{t("supplierOrders.status")}</label>
          <select
            id={`${id}-status`}
            value={filters.status}
            onChange={(event) => setFilters({ status: event.target.value, page: 1 })}
          >
            <option value="">{t("supplierOrders.allStatuses")}</option>
            {ORDER_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`common:status.${status}`)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {orders.error instanceof ApiError &&
        (orders.error.status === 404 ? (
          <p className="cat-empty">{t("supplierOrders.none")}</p>
        ) : (
          <ErrorAlert error={orders.error} testId="supplier-orders-error" />
        ))}
      {orders.isPending && <Skeleton rows={3} label={t("supplierOrders.loading")} />}
      {data && (
        <dl className="figures" data-testid="supplier-orders-summary">
          <div className="figure">
            <dt>{t("supplierOrders.totalOrders")}</dt>
            <dd>{formatNumber(data.summary.total_orders)}</dd>
          </div>
          <div className="figure">
            <dt>{t("supplierOrders.totalValue")}</dt>
            <dd>{formatMoney(data.summary.total_value)}</dd>
          </div>
          <div className="figure">
            <dt>{t("supplierOrders.clientsServed")}</dt>
            <dd>{formatNumber(data.summary.clients_served)}</dd>
          </div>
          <div className="figure">
            <dt>{t("supplierOrders.productsSupplied")}</dt>
            <dd>{formatNumber(data.summary.products_supplied)}</dd>
          </div>
        </dl>
      )}
      {data && items.length === 0 && (
        <p className="cat-empty">{filters.status ? t("supplierOrders.emptyStatus") : t("supplierOrders.none")}</p>
      )}
      {items.length > 0 && (
        <table
          className={orders.isPlaceholderData ? "cat-table stale" : "cat-table"}
          aria-labelledby={`${id}-title`}
          aria-busy={orders.isPlaceholderData}
          data-testid="supplier-orders-table"
        >
          <thead>
            <tr>
              <th scope="col">{t("supplierOrders.number")}</th>
              <th scope="col">{t("supplierOrders.type")}</th>
              <th scope="col">{t("supplierOrders.client")}</th>
              <th scope="col">{t("supplierOrders.status")}</th>
              <th scope="col">{t("supplierOrders.items")}</th>
              <th scope="col">{t("supplierOrders.total")}</th>
              <th scope="col">{t("supplierOrders.createdAt")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((order) => (
              <tr key={order.id} data-testid="supplier-order-row">
                <td className="cat-name-cell">
                  <Link to={`/pedidos/${order.id}`}>{t("supplierOrders.orderNumber", { number: order.number })}</Link>
                </td>
                <td data-label={t("supplierOrders.type")}>{t(`supplierOrders.types.${order.type === "replenishment" ? "replenishment" : "sale"}`)}</td>
                <td data-label={t("supplierOrders.client")}>{order.client_name ?? "—"}</td>
                <td data-label={t("supplierOrders.status")}>{t(`common:status.${order.status}`, { defaultValue: order.status })}</td>
                <td data-label={t("supplierOrders.items")}>{formatNumber(order.item_count)}</td>
                <td data-label={t("supplierOrders.total")}>{formatMoney(order.total)}</td>
                <td data-label={t("supplierOrders.createdAt")}>{formatDateTime(order.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.summary.total_orders > 0 && (
        <Pager
          page={filters.page}
          pages={pages}
          total={data.summary.total_orders}
          onPage={(page) => setFilters({ ...filters, page })}
          testId="supplier-orders-pager"
        />
      )}
    </section>
  );
}
