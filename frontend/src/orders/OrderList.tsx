import { useCallback, useState } from "react";

import { ApiError, type Page } from "../api/client";
import type { User } from "../auth/session";
import { formatMoney } from "./cart";
import { OrderDetail } from "./OrderDetail";
import {
  ORDER_STATUSES,
  changeStatus,
  listOrders,
  statusActions,
  statusLabel,
  stockStatusLabel,
  type Order,
} from "./orders";
import { useRemote } from "../api/useRemote";

interface OrderListProps {
  user: User;
  reloadKey: number;
}

const EMPTY_PAGE: Page<Order> = { items: [], page: 1, pages: 0, total: 0, totalExact: true };

/** The orders the user may see (a client only its own), newest first, with their next steps. */
export function OrderList({ user, reloadKey }: OrderListProps) {
  const [page, setPage] = useState(1);
  const [status, setStatus] = useState("");
  const [changes, setChanges] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const load = useCallback(
    (signal: AbortSignal) => listOrders({ page, status }, signal),
    [page, status],
  );
  const { value, loading, error } = useRemote(load, EMPTY_PAGE, {
    reloadKey: reloadKey + changes,
  });

  async function move(order: Order, target: string) {
    setBusy(order.id);
    setFailure(null);
    try {
      await changeStatus(order.id, target);
    } catch (caught) {
      // The order changed meanwhile (409) or the caller may not: the service says which.
      setFailure(caught instanceof ApiError ? caught.message : "Não foi possível mudar o status.");
    } finally {
      setBusy(null);
      setChanges((count) => count + 1);
    }
  }

  const total = value.totalExact ? `${value.total}` : `mais de ${value.total}`;
  return (
    <section className="card wide" aria-labelledby="orders-title" data-testid="order-list">
      <div className="card-header">
        <h2 id="orders-title">Pedidos</h2>
        <div className="inline">
          <label htmlFor="order-status-filter">Status</label>
          <select
            id="order-status-filter"
            value={status}
            onChange={(event) => {
              setStatus(event.target.value);
              setPage(1);
            }}
          >
            <option value="">Todos</option>
            {ORDER_STATUSES.map((name) => (
              <option key={name} value={name}>
                {statusLabel(name)}
              </option>
            ))}
          </select>
        </div>
      </div>
      {error && <p className="field-error">{error}</p>}
      {failure && (
        <p className="alert" role="alert" data-testid="status-error">
          {failure}
        </p>
      )}
      <table className="table" aria-label="Pedidos" aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">Nº</th>
            <th scope="col">Cliente</th>
            <th scope="col">Status</th>
            <th scope="col">Estoque</th>
            <th scope="col">Total</th>
            <th scope="col">Ações</th>
          </tr>
        </thead>
        <tbody>
          {value.items.map((order) => (
            <tr
              key={order.id}
              data-testid="order-row"
              data-number={order.number}
              data-status={order.status}
            >
              <td>
                <button
                  type="button"
                  className="link"
                  aria-expanded={opened === order.id}
                  onClick={() => setOpened(opened === order.id ? null : order.id)}
                >
                  {order.number}
                </button>
              </td>
              <td>{order.client_name ?? "—"}</td>
              <td>{statusLabel(order.status)}</td>
              <td>{stockStatusLabel(order.stock_status)}</td>
              <td>{formatMoney(order.total)}</td>
              <td className="actions">
                {statusActions(order, user).map((action) => (
                  <button
                    key={action.status}
                    type="button"
                    className="button small"
                    disabled={busy !== null}
                    onClick={() => void move(order, action.status)}
                  >
                    {action.label}
                  </button>
                ))}
              </td>
            </tr>
          ))}
          {!loading && value.items.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nenhum pedido {status ? "com este status" : "ainda"}.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <div className="pager">
        <button
          type="button"
          className="button small"
          disabled={page <= 1 || loading}
          onClick={() => setPage(page - 1)}
        >
          Mais novos
        </button>
        <span className="muted small" data-testid="order-pages">
          Página {value.page} de {Math.max(value.pages, 1)} · {total} pedido(s)
        </span>
        <button
          type="button"
          className="button small"
          disabled={page >= value.pages || loading}
          onClick={() => setPage(page + 1)}
        >
          Mais antigos
        </button>
      </div>
      {opened && <OrderDetail orderId={opened} reloadKey={reloadKey + changes} />}
    </section>
  );
}
