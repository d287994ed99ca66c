import { useId, useRef, useState, type FormEvent } from "react";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import type { User } from "../auth/session";
import {
  cartTotalCents,
  formatCents,
  formatMoney,
  lineTotalCents,
  linesBeyondStock,
  orderRequest,
  quantityOf,
  setQuantity,
  type Cart,
} from "./cart";
import {
  newIdempotencyKey,
  placeOrder,
  searchClients,
  searchProducts,
  type Order,
} from "./orders";
import { useSearch } from "../api/useRemote";

interface NewOrderProps {
  user: User;
  onPlaced: (order: Order) => void;
  /** Changes when free stock may have changed elsewhere (an order, an adjustment). */
  reloadKey: number;
}

/**
 * Write an order: the client (staff and admin choose; a client orders for itself), products
 * with what is free in stock now, quantities, notes. The order service checks the stock again
 * when the order arrives and the stock service reserves it right after; this screen only helps.
 */
export function NewOrder({ user, onPlaced, reloadKey: outsideChanges }: NewOrderProps) {
  const id = useId();
  const ordersForOthers = user.role === "admin" || user.role === "staff";
  const [clientQuery, setClientQuery] = useState("");
  const [clientId, setClientId] = useState("");
  const [productQuery, setProductQuery] = useState("");
  const [cart, setCart] = useState<Cart>([]);
  const [notes, setNotes] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  // One key per order being written: a retry after a timeout replays, never duplicates.
  const idempotencyKey = useRef("");
  if (idempotencyKey.current === "") {
    idempotencyKey.current = newIdempotencyKey(); // once, not on every render
  }

  const clients = useSearch(clientQuery, searchClients, 0, ordersForOthers);
  const products = useSearch(productQuery, searchProducts, reloadKey + outsideChanges);
  const beyond = linesBeyondStock(cart);

  function changeCart(next: Cart) {
    setCart(next);
    setError(null); // the refusal was about the order as it was
    idempotencyKey.current = newIdempotencyKey(); // a different order from now on
  }

  async function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (cart.length === 0 || (ordersForOthers && !clientId)) {
      return;
    }
    setSubmitting(true);
    setError(null);
    try {
      const order = await placeOrder(
        orderRequest(cart, ordersForOthers ? clientId : null, notes),
        idempotencyKey.current,
      );
      setCart([]);
      setNotes("");
      idempotencyKey.current = newIdempotencyKey();
      setReloadKey((key) => key + 1); // the free stock changed
      onPlaced(order);
    } catch (caught) {
      setError(
        caught instanceof ApiError
          ? caught
          : new ApiError("Não foi possível enviar o pedido. Tente novamente.", {
              status: 0,
              code: "unknown_error",
            }),
      );
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <section className="card wide" aria-labelledby={`${id}-title`} data-testid="new-order">
      <h2 id={`${id}-title`}>Novo pedido</h2>
      <form className="form" onSubmit={handleSubmit} noValidate aria-busy={submitting}>
        {ordersForOthers && (
          <div className="field">
            <label htmlFor={`${id}-client-query`}>Buscar cliente</label>
            <input
              id={`${id}-client-query`}
              type="search"
              value={clientQuery}
              onChange={(event) => setClientQuery(event.target.value)}
              placeholder="Parte do nome"
            />
            <label htmlFor={`${id}-client`}>Cliente</label>
            <select
              id={`${id}-client`}
              value={clientId}
              onChange={(event) => setClientId(event.target.value)}
              data-testid="order-client"
            >
              <option value="">{clients.loading ? "Carregando…" : "Escolha o cliente"}</option>
              {clients.results.map((client) => (
                <option key={client.id} value={client.id}>
                  {client.name}
                </option>
              ))}
            </select>
            {clients.error && <p className="field-error">{clients.error}</p>}
          </div>
        )}

        <div className="field">
          <label htmlFor={`${id}-product-query`}>Buscar produto</label>
          <input
            id={`${id}-product-query`}
            type="search"
            value={productQuery}
            onChange={(event) => setProductQuery(event.target.value)}
            placeholder="Parte do nome ou código de barras"
            data-testid="product-search"
          />
        </div>
        {products.error && <p className="field-error">{products.error}</p>}
        <table className="table" aria-label="Produtos" aria-busy={products.loading}>
          <thead>
            <tr>
              <th scope="col">Produto</th>
              <th scope="col">Preço</th>
              <th scope="col">Disponível</th>
              <th scope="col">Quantidade</th>
            </tr>
          </thead>
          <tbody>
            {products.results.map((product) => (
              <tr key={product.id} data-testid="product-row">
                <td>{product.name}</td>
                <td>
                  {formatMoney(product.price)} / {product.unit}
                </td>
                <td>{product.available}</td>
                <td>
                  <input
                    type="number"
                    min={0}
                    step={1}
                    inputMode="numeric"
                    aria-label={`Quantidade de ${product.name}`}
                    value={quantityOf(cart, product.id) || ""}
                    onChange={(event) =>
                      changeCart(setQuantity(cart, product, Number(event.target.value)))
                    }
                  />
                </td>
              </tr>
            ))}
            {!products.loading && products.results.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  Nenhum produto encontrado.
                </td>
              </tr>
            )}
          </tbody>
        </table>

        {cart.length > 0 && (
          <ul className="cart" aria-label="Itens do pedido" data-testid="cart">
            {cart.map((line) => (
              <li key={line.product.id}>
                {line.quantity} × {line.product.name} = {formatCents(lineTotalCents(line))}
              </li>
            ))}
            <li className="cart-total">
              Total: <strong data-testid="cart-total">{formatCents(cartTotalCents(cart))}</strong>
            </li>
          </ul>
        )}
        {beyond.length > 0 && (
          <p className="muted small" role="status">
            Acima do disponível agora: {beyond.map((line) => line.product.name).join(", ")}. O
            pedido será recusado se o estoque não bastar.
          </p>
        )}

        <div className="field">
          <label htmlFor={`${id}-notes`}>Observações</label>
          <textarea
            id={`${id}-notes`}
            value={notes}
            maxLength={2000}
            onChange={(event) => setNotes(event.target.value)}
          />
        </div>

        {error && <ErrorAlert error={error} testId="order-error" withFieldErrors />}
        <button
          type="submit"
          className="button primary"
          disabled={submitting || cart.length === 0 || (ordersForOthers && !clientId)}
          data-testid="order-submit"
        >
          Enviar pedido
        </button>
      </form>
    </section>
  );
}
