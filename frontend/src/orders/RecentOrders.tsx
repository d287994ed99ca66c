import { useCallback } from "react";

import { formatMoney } from "./cart";
import { recentOrders, statusLabel, stockStatusLabel, type Order } from "./orders";
import { useSearch } from "./useSearch";

/** The ten newest orders the user may see (a client sees only its own). */
export function RecentOrders({ reloadKey }: { reloadKey: number }) {
  const load = useCallback((_query: string, signal: AbortSignal) => recentOrders(signal), []);
  const { results, loading, error } = useSearch<Order>("", load, reloadKey);

  return (
    <section className="card wide" aria-labelledby="recent-orders-title">
      <h2 id="recent-orders-title">Últimos pedidos</h2>
      {error && <p className="field-error">{error}</p>}
      <table className="table" aria-label="Últimos pedidos" aria-busy={loading}>
        <thead>
          <tr>
            <th scope="col">Nº</th>
            <th scope="col">Cliente</th>
            <th scope="col">Status</th>
            <th scope="col">Estoque</th>
            <th scope="col">Total</th>
          </tr>
        </thead>
        <tbody>
          {results.map((order) => (
            <tr key={order.id} data-testid="recent-order" data-number={order.number}>
              <td>{order.number}</td>
              <td>{order.client_name ?? "—"}</td>
              <td>{statusLabel(order.status)}</td>
              <td>{stockStatusLabel(order.stock_status)}</td>
              <td>{formatMoney(order.total)}</td>
            </tr>
          ))}
          {!loading && results.length === 0 && (
            <tr>
              <td colSpan={5} className="muted">
                Nenhum pedido ainda.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
