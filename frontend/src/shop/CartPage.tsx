import { useMutation, useQueries, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";

import { ApiError } from "../api/client";
import { ErrorAlert } from "../api/ErrorAlert";
import { useCurrentUser } from "../auth/SessionContext";
import { formatMoney, formatNumber } from "../i18n/format";
import { getProduct, invalidateAfterOrderChange, placeOrder, shopKeys } from "./api";
import { cartTotalCents, formatCents, lineTotalCents } from "../money/cents";
import {
  EMPTY_CART,
  MAX_NOTES,
  attemptFor,
  cartProductOf,
  clampQuantity,
  freeUnits,
  newIdempotencyKey,
  orderBody,
  removeLine,
  setLineQuantity,
  withLatest,
  type CartLine,
  type CartProduct,
} from "./cart";
import {
  adjustToAvailable,
  lineErrors,
  shortLines,
  shortagesOf,
  splitFieldErrors,
  type LineShortage,
} from "./shortages";
import type { OrderBody } from "./types";
import { FieldMessages, SHOP_PATH, asApiError, orderPath } from "./ui";
import { useCart } from "./useCart";

interface Submission {
  body: OrderBody;
  key: string;
}

/** The newest reading of each product in the cart: free units and price may have changed. */
function useLatestProducts(lines: readonly CartLine[]) {
  const results = useQueries({
    queries: lines.map((line) => ({
      queryKey: shopKeys.product(line.product.id),
      queryFn: ({ signal }: { signal: AbortSignal }) => getProduct(line.product.id, signal),
      staleTime: 30_000,
      retry: (failures: number, error: unknown) =>
        !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 1,
    })),
  });
  const latest = new Map<string, CartProduct>();
  const gone = new Set<string>();
  results.forEach((result, index) => {
    const productId = lines[index]?.product.id;
    if (!productId) return;
    if (result.data) {
      const product = cartProductOf(result.data);
      if (result.data.active === false || !product) {
        gone.add(productId);
      } else {
        latest.set(productId, product);
      }
    } else if (result.error instanceof ApiError && result.error.status === 404) {
      gone.add(productId);
    }
  });
  return { latest, gone, checking: results.some((result) => result.isFetching) };
}

/**
 * Carrinho (`/loja/carrinho`): the lines with their quantities (within what is free), the
 * total in cents, notes, and "Fazer pedido" (POST /orders with an Idempotency-Key kept for
 * retries of the same cart). A stock refusal shows each shortage on its line.
 */
export function CartPage() {
  const { t } = useTranslation("shop");
  const id = useId();
  const user = useCurrentUser();
  const { cart, update } = useCart(user.id);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { latest, gone, checking } = useLatestProducts(cart.lines);
  const lines = withLatest(cart.lines, latest);

  const place = useMutation({
    mutationFn: ({ body, key }: Submission) => placeOrder(body, key),
    onSuccess: (order) => {
      update(() => EMPTY_CART);
      if (order.id) {
        queryClient.setQueryData(shopKeys.order(order.id), order);
      }
      void invalidateAfterOrderChange(queryClient);
      void navigate(order.id ? orderPath(order.id) : "/meus-pedidos", { state: { placed: true } });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "idempotency_key_reused") {
        // The server knows this key with another body: the next try gets a new one.
        update((current) => ({ ...current, attempt: null }));
      }
    },
  });

  const error = asApiError(place.error, t("cart.placeError"));
  const refused = shortagesOf(place.error);
  // Lines beyond what the newest reading says is free count as short too.
  const stale: LineShortage[] = lines
    .filter((line) => !refused.some((shortage) => shortage.productId === line.product.id))
    .filter((line) => latest.has(line.product.id) && line.quantity > freeUnits(line.product.available))
    .map((line) => ({
      productId: line.product.id,
      productName: line.product.name,
      requested: line.quantity,
      available: freeUnits(line.product.available),
    }));
  const shortages = [...refused, ...stale];
  const short = shortLines(lines, shortages);
  const sentIds = place.variables?.body.items.map((item) => item.product_id) ?? [];
  const byLine = lineErrors(error?.errors ?? [], sentIds);
  const { byField, others } = splitFieldErrors(error?.errors ?? [], ["notes"]);
  const goneLines = lines.filter((line) => gone.has(line.product.id));
  const totalCents = cartTotalCents(lines);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (lines.length === 0 || place.isPending || goneLines.length > 0) {
      return;
    }
    const body = orderBody(lines, cart.notes);
    const attempt = attemptFor(cart.attempt, body, newIdempotencyKey);
    // Kept before sending: a retry, even after a reload, sends the same key.
    update((current) => ({ ...current, attempt }));
    place.mutate({ body, key: attempt.key });
  }

  function adjust() {
    update((current) => ({ ...current, lines: adjustToAvailable(current.lines, shortages) }));
  }

  if (lines.length === 0) {
    return (
      <section className="card wide shop" aria-labelledby={`${id}-title`} data-testid="shop-cart">
        <h1 id={`${id}-title`}>{t("cart.title")}</h1>
        <p className="muted" data-testid="shop-cart-empty">
          {t("cart.empty")}
        </p>
        <p>
          <Link to={SHOP_PATH} className="button primary">
            {t("cart.browse")}
          </Link>
        </p>
      </section>
    );
  }

  return (
    <section className="card wide shop" aria-labelledby={`${id}-title`} data-testid="shop-cart">
      <div className="card-header">
        <h1 id={`${id}-title`}>{t("cart.title")}</h1>
        <Link to={SHOP_PATH}>{t("cart.continue")}</Link>
      </div>
      <form onSubmit={submit} noValidate aria-busy={place.isPending} className="shop-stack">
        <ul className="shop-cart-lines" aria-label={t("cart.linesLabel")} aria-busy={checking} data-testid="shop-cart-lines">
          {lines.map((line) => (
            <CartLineRow
              key={line.product.id}
              line={line}
              shortage={short.find((entry) => entry.line.product.id === line.product.id)?.shortage}
              gone={gone.has(line.product.id)}
              errors={byLine.get(line.product.id) ?? []}
              onQuantity={(quantity) =>
                update((current) => ({
                  ...current,
                  lines: setLineQuantity(current.lines, line.product.id, quantity, line.product.available),
                }))
              }
              onRemove={() => update((current) => ({ ...current, lines: removeLine(current.lines, line.product.id) }))}
            />
          ))}
        </ul>

        {short.length > 0 && (
          <div className="shop-shortage-box" role="alert" data-testid="shop-shortages">
            <p>{t("cart.shortagesIntro")}</p>
            <button type="button" className="button" onClick={adjust} data-testid="shop-adjust">
              {t("cart.adjust")}
            </button>
          </div>
        )}
        {goneLines.length > 0 && (
          <p className="alert" role="alert">
            {t("cart.goneIntro")}
          </p>
        )}

        <div className="field">
          <label htmlFor={`${id}-notes`}>{t("cart.notes")}</label>
          <textarea
            id={`${id}-notes`}
            value={cart.notes}
            maxLength={MAX_NOTES}
            placeholder={t("cart.notesPlaceholder")}
            aria-invalid={byField.notes ? true : undefined}
            aria-describedby={byField.notes ? `${id}-notes-errors` : undefined}
            onChange={(event) => {
              const notes = event.target.value;
              update((current) => ({ ...current, notes }));
            }}
            data-testid="shop-notes"
          />
          <FieldMessages id={`${id}-notes-errors`} messages={byField.notes ?? []} />
        </div>

        <p className="shop-total">
          {t("cart.total")}: <strong data-testid="shop-cart-total">{formatCents(totalCents)}</strong>
        </p>
        <p className="muted small">{t("cart.totalNote")}</p>

        {error && refused.length === 0 && (
          <>
            <ErrorAlert error={error} testId="shop-order-error" />
            {others.length > 0 && (
              <ul className="field-error">
                {others.map((message) => (
                  <li key={message}>{message}</li>
                ))}
              </ul>
            )}
          </>
        )}

        <div className="buttons">
          <button
            type="submit"
            className="button primary"
            disabled={place.isPending || goneLines.length > 0}
            data-testid="shop-place-order"
          >
            {place.isPending ? t("cart.placing") : t("cart.place")}
          </button>
        </div>
      </form>
    </section>
  );
}

function CartLineRow({
  line,
  shortage,
  gone,
  errors,
  onQuantity,
  onRemove,
}: {
  line: CartLine;
  shortage: LineShortage | undefined;
  gone: boolean;
  errors: string[];
  onQuantity: (quantity: number) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation("shop");
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const { product, quantity } = line;
  const free = freeUnits(product.available);
  const max = Math.max(1, free);
  const messagesId = `${id}-messages`;
  const invalid = Boolean(shortage) || gone || errors.length > 0;

  function typed(value: string) {
    setDraft(value);
    const number = Number(value);
    if (value.trim() !== "" && Number.isInteger(number) && number >= 1) {
      const next = clampQuantity(number, max);
      onQuantity(next);
      if (next !== number) {
        setDraft(String(next));
      }
    }
  }

  return (
    <li className={invalid ? "shop-cart-line short" : "shop-cart-line"} data-testid="shop-cart-line" data-product-id={product.id}>
      <div className="shop-cart-line-name">
        <strong>{product.name}</strong>
        <span className="muted small">
          {formatMoney(product.price)} {t("product.perUnit", { unit: product.unit })}
        </span>
        <span className="muted small">
          {free > 0 ? t("product.available", { quantity: formatNumber(free), unit: product.unit }) : t("product.unavailable")}
        </span>
      </div>
      <div className="shop-qty" role="group" aria-label={t("cart.quantityOf", { name: product.name })}>
        <button
          type="button"
          className="button small"
          onClick={() => {
            setDraft(null);
            onQuantity(quantity - 1);
          }}
          disabled={quantity <= 1}
          aria-label={t("cart.decrease", { name: product.name })}
        >
          −
        </button>
        <label htmlFor={`${id}-quantity`} className="visually-hidden">
          {t("cart.quantityOf", { name: product.name })}
        </label>
        <input
          id={`${id}-quantity`}
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          step={1}
          value={draft ?? String(quantity)}
          onChange={(event) => typed(event.target.value)}
          onBlur={() => setDraft(null)}
          aria-invalid={invalid || undefined}
          aria-describedby={invalid ? messagesId : undefined}
          data-testid="shop-cart-quantity"
        />
        <button
          type="button"
          className="button small"
          onClick={() => {
            setDraft(null);
            onQuantity(quantity + 1);
          }}
          disabled={quantity >= max}
          aria-label={t("cart.increase", { name: product.name })}
        >
          +
        </button>
      </div>
      <div className="shop-cart-line-total">
        <span className="visually-hidden">{t("cart.lineTotal")}: </span>
        {formatCents(lineTotalCents(line))}
      </div>
      <button
        type="button"
        className="button small shop-remove"
        onClick={onRemove}
        data-testid="shop-cart-remove"
      >
        {t("cart.remove")}
        <span className="visually-hidden"> {product.name}</span>
      </button>
      {invalid && (
        <div id={messagesId} className="shop-cart-line-messages">
          {shortage && (
            <p className="field-error" data-testid="shop-line-shortage">
              {t("cart.shortage", {
                requested: formatNumber(shortage.requested),
                available: formatNumber(shortage.available),
                unit: product.unit,
              })}
            </p>
          )}
          {gone && <p className="field-error">{t("cart.gone")}</p>}
          {errors.map((message) => (
            <p key={message} className="field-error">
              {message}
            </p>
          ))}
        </div>
      )}
    </li>
  );
}
