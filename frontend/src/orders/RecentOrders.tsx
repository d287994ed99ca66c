import { useCallback, useState } from "react";

import { ApiError } from "../api/client";
import type { User } from "../auth/session";
import { formatMoney } from "./cart";
import {
  changeStatus,
  recentOrders,
  statusActions,
  statusLabel,
  stockStatusLabel,
  type Order,
} from "./orders";
import { useSearch } from "./useSearch";

interface RecentOrdersProps {
  user: User;
  reloadKey: number;
}

/** The ten newest orders the user may see (a client sees only its own), with their next steps. */
export function RecentOrders({ user, reloadKey }: RecentOrdersProps) {
  const [changes, setChanges] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const load = useCallback((_query: string, signal: AbortSignal) => recentOrders(signal), []);
  const { results, loading, error } = useSearch<Order>("", load, reloadKey + changes);

  async function move(order: Order, status: string) {
    setBusy(order.id);
    setFailure(null);
    try {
      await changeStatus(order.id, status);
    } catch (caught) {
      // The order changed meanwhile (409) or the caller may not: the service says which.
      setFailure(caught instanceof ApiError ? caught.message : "Não foi possível mudar o status.");
    } finally {
      setBusy(null);
      setChanges((count) => count + 1);
    }
  }

  return (
    <section className="card wide" aria-labelledby="recent-orders-title">
      <h2 id="recent-orders-title">Últimos pedidos</h2>
      {error && <p className="field-error">{error}</p>}
      {failure && (
        <p className="alert" role="alert" data-testid="status-error">
          {failure}
        </p>
      )}
      <table className="table" aria-label="Últimos pedidos" aria-busy={loading}>
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
          {results.map((order) => (
            <tr
              key={order.id}
              data-testid="recent-order"
              data-number={order.number}
              data-status={order.status}
            >
              <td>{order.number}</td>
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
          {!loading && results.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                Nenhum pedido ainda.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
