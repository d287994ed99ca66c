import { useEffect, useState } from "react";

import { formatMoney } from "./cart";
import { getOrder, statusLabel, stockDecided, stockStatusLabel, type Order } from "./orders";

const POLL_MS = 500;
const GIVE_UP_MS = 30_000;

/**
 * The order just placed, followed until the stock service has answered: the reservation
 * happens asynchronously (event `order.created`), usually within a fraction of a second.
 */
interface OrderTrackerProps {
  placed: Order;
  /** Called once the stock service has answered (reserved or rejected). */
  onDecided?: () => void;
}

export function OrderTracker({ placed, onDecided }: OrderTrackerProps) {
  const [order, setOrder] = useState<Order>(placed);
  const [gaveUp, setGaveUp] = useState(false);

  useEffect(() => {
    setOrder(placed);
    setGaveUp(false);
    if (stockDecided(placed)) {
      return;
    }
    const controller = new AbortController();
    const started = Date.now();
    let timer = 0;
    const poll = () => {
      getOrder(placed.id, controller.signal).then(
        (latest) => {
          setOrder(latest);
          if (stockDecided(latest)) {
            onDecided?.();
            return;
          }
          if (Date.now() - started > GIVE_UP_MS) {
            setGaveUp(true);
            return;
          }
          timer = window.setTimeout(poll, POLL_MS);
        },
        () => {
          if (!controller.signal.aborted) {
            timer = window.setTimeout(poll, POLL_MS * 4); // the network hiccuped: keep trying
          }
        },
      );
    };
    timer = window.setTimeout(poll, POLL_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [placed, onDecided]);

  return (
    <section className="card" aria-live="polite" data-testid="order-tracker">
      <h2>Pedido nº {order.number}</h2>
      <dl className="details">
        <dt>Status</dt>
        <dd data-testid="tracked-status">{statusLabel(order.status)}</dd>
        <dt>Estoque</dt>
        <dd data-testid="tracked-stock-status" data-stock-status={order.stock_status}>
          {stockStatusLabel(order.stock_status)}
        </dd>
        <dt>Total</dt>
        <dd>{formatMoney(order.total)}</dd>
      </dl>
      {order.stock_status === "rejected" && (
        <p className="alert" role="alert">
          O estoque não bastou quando o pedido chegou: nada foi reservado. Ajuste as quantidades
          e envie um novo pedido.
        </p>
      )}
      {gaveUp && (
        <p className="muted small">
          O estoque ainda não respondeu. O pedido está gravado; confira a lista em instantes.
        </p>
      )}
    </section>
  );
}
