import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";

import { ApiError } from "../api/client";
import { useCurrentUser } from "../auth/SessionContext";
import { NO_FIGURE, formatDate, formatDateTime, formatMoney, formatNumber } from "../i18n/format";
import {
  deleteClient,
  getClient,
  getClientSummary,
  listClientOrders,
  peopleKeys,
  type Client,
  type ClientOrders,
} from "./api";
import { ClientForm } from "./ClientForm";
import { DeleteClientDialog } from "./ClientsPage";
import { formatDocument, formatPhone } from "../documents/documents";
import { readPage, withPage } from "./filters";
import { averageTicket, statusCounts, topProduct } from "./summary";
import { Notice, Pager, QueryError, Skeleton } from "./ui";
import "./people.css";

/** One client: its record (edit, delete), the summary of its orders and its orders, newest first. */
export function ClientDetailPage() {
  const { id = "" } = useParams();
  const { t } = useTranslation("people");
  const user = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const client = useQuery({
    queryKey: peopleKeys.client(id),
    queryFn: ({ signal }) => getClient(id, signal),
  });
  const summary = useQuery({
    queryKey: peopleKeys.clientSummary(id),
    queryFn: ({ signal }) => getClientSummary(id, signal),
  });

  const remove = useMutation({
    mutationFn: () => deleteClient(id),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: peopleKeys.client(id), exact: true });
      void queryClient.invalidateQueries({ queryKey: peopleKeys.clients() });
      void navigate("/clientes");
    },
  });

  // A deleted client answers 404 here but keeps its orders: the summary still names it.
  const gone = client.error instanceof ApiError && client.error.status === 404;
  const name = client.data?.name ?? summary.data?.client?.name ?? "";
  const deleted = gone && summary.data?.client?.deleted === true;

  return (
    <>
      <section className="card wide people-page" aria-labelledby="client-title" data-testid="client-detail">
        <p className="small">
          <Link to="/clientes">← {t("clients.back")}</Link>
        </p>
        <div className="card-header">
          <h1 id="client-title">
            {name || t("clients.untitled")}
            {deleted && <span className="people-tag people-tag-bad">{t("clients.deletedTag")}</span>}
          </h1>
          {client.data && (
            <div className="buttons">
              <button
                type="button"
                className="button"
                onClick={() => setEditing(!editing)}
                aria-expanded={editing}
                data-testid="client-edit"
              >
                {t("common:edit")}
              </button>
              {user.role === "admin" && (
                <button
                  type="button"
                  className="button people-danger"
                  onClick={() => {
                    remove.reset();
                    setDeleting(true);
                  }}
                  data-testid="client-delete"
                >
                  {t("common:delete")}
                </button>
              )}
            </div>
          )}
        </div>
        <Notice message={notice} onClose={() => setNotice(null)} />
        {gone ? (
          <p className="muted" data-testid="client-gone">
            {deleted ? t("clients.deletedNote") : t("clients.notFound")}
          </p>
        ) : (
          <QueryError error={client.error} testId="client-error" />
        )}
        {client.isPending && <Skeleton rows={4} />}
        {client.data && !editing && <ClientData client={client.data} />}
        {client.data && editing && (
          <div className="panel">
            <ClientForm
              client={client.data}
              onCancel={() => setEditing(false)}
              onSaved={(saved) => {
                setEditing(false);
                setNotice(t("clients.updated", { name: saved.name }));
                void queryClient.invalidateQueries({ queryKey: peopleKeys.clientSummary(id) });
              }}
            />
          </div>
        )}
      </section>

      <section className="card wide people-page" aria-labelledby="client-summary-title" data-testid="client-summary">
        <h2 id="client-summary-title">{t("clients.summary.title")}</h2>
        <QueryError error={summary.error} testId="client-summary-error" />
        {summary.isPending && <Skeleton rows={2} />}
        {summary.data && <SummaryFigures data={summary.data} />}
      </section>

      {!(summary.error instanceof ApiError && summary.error.status === 404) && <ClientOrdersCard clientId={id} />}

      {deleting && client.data && (
        <DeleteClientDialog
          client={client.data}
          busy={remove.isPending}
          error={remove.error}
          onConfirm={() => remove.mutate()}
          onCancel={() => setDeleting(false)}
        />
      )}
    </>
  );
}

function ClientData({ client }: { client: Client }) {
  const { t } = useTranslation("people");
  return (
    <dl className="details people-details" data-testid="client-data">
      <dt>{t("clients.fields.email")}</dt>
      <dd className="people-break">{client.email}</dd>
      <dt>{t("clients.fields.document")}</dt>
      <dd>{formatDocument(client.document)}</dd>
      <dt>{t("clients.fields.phone")}</dt>
      <dd>{client.phone ? formatPhone(client.phone) : t("none")}</dd>
      <dt>{t("clients.whatsapp")}</dt>
      <dd>{client.notify_whatsapp === false ? t("clients.optedOutHint") : t("clients.notified")}</dd>
      <dt>{t("clients.fields.address")}</dt>
      <dd className="people-break">{client.address || t("none")}</dd>
      <dt>{t("clients.access")}</dt>
      <dd>{client.user_id ? t("clients.hasLogin") : t("clients.noLogin")}</dd>
      {client.created_at && (
        <>
          <dt>{t("clients.since")}</dt>
          <dd>{formatDate(client.created_at)}</dd>
        </>
      )}
    </dl>
  );
}

function SummaryFigures({ data }: { data: ClientOrders }) {
  const { t } = useTranslation("people");
  const summary = data.summary;
  const average = averageTicket(summary);
  const top = topProduct(summary);
  const counts = statusCounts(summary);
  return (
    <>
      <dl className="figures" data-testid="client-figures">
        <div className="figure">
          <dt>{t("clients.summary.orders")}</dt>
          <dd>{formatNumber(summary?.total_orders ?? 0)}</dd>
        </div>
        <div className="figure">
          <dt>{t("clients.summary.value")}</dt>
          <dd>{formatMoney(summary?.total_value ?? 0)}</dd>
        </div>
        <div className="figure">
          <dt>{t("clients.summary.averageTicket")}</dt>
          <dd>{average === null ? NO_FIGURE : formatMoney(average)}</dd>
        </div>
        <div className="figure">
          <dt>{t("clients.summary.topProduct")}</dt>
          <dd className={top ? "people-figure-text" : undefined}>{top ? top.name : NO_FIGURE}</dd>
          {top && (
            <dd className="small">
              {t("clients.summary.topProductNote", { orders: top.orders ?? 0, quantity: top.quantity ?? 0 })}
            </dd>
          )}
        </div>
      </dl>
      <p className="muted small">{t("clients.summary.note")}</p>
      {counts.length > 0 && (
        <ul className="people-status-counts" aria-label={t("clients.summary.byStatus")}>
          {counts.map(({ status, count }) => (
            <li key={status} className={count === 0 ? "muted" : undefined}>
              <span className={`people-status people-status-${status}`}>
                {t(`common:status.${status}`, { defaultValue: status })}
              </span>{" "}
              <strong>{formatNumber(count)}</strong>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ClientOrdersCard({ clientId }: { clientId: string }) {
  const { t } = useTranslation("people");
  const [params, setParams] = useSearchParams();
  const page = readPage(params);
  const orders = useQuery({
    queryKey: peopleKeys.clientOrders(clientId, page),
    queryFn: ({ signal }) => listClientOrders(clientId, page, signal),
    placeholderData: keepPreviousData,
  });
  const items = orders.data?.items ?? [];

  return (
    <section className="card wide people-page" aria-labelledby="client-orders-title" data-testid="client-orders">
      <h2 id="client-orders-title">{t("clients.orders.title")}</h2>
      <QueryError error={orders.error} testId="client-orders-error" />
      {orders.isPending && <Skeleton rows={3} />}
      {orders.data && items.length === 0 && <p className="muted people-empty">{t("clients.orders.none")}</p>}
      {items.length > 0 && (
        <div aria-busy={orders.isPlaceholderData} className={orders.isPlaceholderData ? "stale" : undefined}>
          <table className="data-table people-table">
            <caption className="visually-hidden">{t("clients.orders.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("orders.number")}</th>
                <th scope="col">{t("orders.createdAt")}</th>
                <th scope="col">{t("orders.status")}</th>
                <th scope="col">{t("orders.items")}</th>
                <th scope="col">{t("orders.total")}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((order) => (
                <tr key={order.id} data-testid="client-order-row">
                  <td data-label={t("orders.number")}>
                    <Link to={`/pedidos/${order.id}`}>{t("orders.numbered", { number: order.number })}</Link>
                  </td>
                  <td data-label={t("orders.createdAt")}>
                    {order.created_at ? formatDateTime(order.created_at) : NO_FIGURE}
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
        </div>
      )}
      {orders.data && (
        <Pager
          label={t("clients.orders.pages")}
          page={orders.data.page}
          pages={orders.data.pages}
          total={orders.data.total}
          totalExact={orders.data.totalExact}
          onPage={(next) => setParams((current) => withPage(current, next))}
        />
      )}
    </section>
  );
}
