import { useCallback } from "react";

import { formatMoney } from "./cart";
import { getOrder, statusLabel, stockStatusLabel, type Order } from "./orders";
import { useRemote } from "../api/useRemote";

function formatWhen(iso: string): string {
  return new Date(iso).toLocaleString("pt-BR", { dateStyle: "short", timeStyle: "short" });
}

/** One order's lines and the history of its status (who changed it, when, with what note). */
export function OrderDetail({ orderId, reloadKey }: { orderId: string; reloadKey: number }) {
  const load = useCallback((signal: AbortSignal) => getOrder(orderId, signal), [orderId]);
  const { value: order, error } = useRemote<Order | null>(load, null, { reloadKey });

  if (error) {
    return <p className="field-error">{error}</p>;
  }
  if (!order) {
    return (
      <p className="muted" role="status">
        Carregando o pedido…
      </p>
    );
  }
  return (
    <div className="panel" data-testid="order-detail">
      <h3>
        Pedido nº {order.number} · {statusLabel(order.status)} ·{" "}
        {stockStatusLabel(order.stock_status)}
      </h3>
      <table className="table" aria-label={`Itens do pedido ${order.number}`}>
        <thead>
          <tr>
            <th scope="col">Produto</th>
            <th scope="col">Quantidade</th>
            <th scope="col">Preço</th>
            <th scope="col">Subtotal</th>
          </tr>
        </thead>
        <tbody>
          {(order.items ?? []).map((item) => (
            <tr key={item.id} data-testid="order-item">
              <td>{item.product_name}</td>
              <td>
                {item.quantity} {item.unit}
              </td>
              <td>{formatMoney(item.unit_price)}</td>
              <td>{formatMoney(item.line_total)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        Total: <strong>{formatMoney(order.total)}</strong>
      </p>
      {order.notes && <p className="muted">Observações: {order.notes}</p>}
      {order.cancel_reason && <p className="muted">Motivo do cancelamento: {order.cancel_reason}</p>}
      <h4>Histórico</h4>
      <ol className="history" aria-label="Histórico de status">
        {(order.status_history ?? []).map((change) => (
          <li key={`${change.at}-${change.to}`} data-testid="history-entry">
            {formatWhen(change.at)}: {change.from ? `${statusLabel(change.from)} → ` : ""}
            {statusLabel(change.to)}
            {change.note ? ` (${change.note})` : ""}
          </li>
        ))}
      </ol>
    </div>
  );
}
