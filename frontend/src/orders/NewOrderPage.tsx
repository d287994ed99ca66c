import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { formatMoney, formatNumber } from "../i18n/format";
import { PRODUCT_PAGE_SIZE, afterOrderChanged, orderKeys, placeOrder, searchProducts } from "./api";
import { cartTotalCents, formatCents, lineTotalCents } from "../money/cents";
import {
  MAX_LINES,
  MAX_QUANTITY,
  addProduct,
  cartProblem,
  linesBeyondStock,
  orderRequest,
  parseQuantity,
  productChoice,
  quantityOf,
  removeLine,
  setLineQuantity,
  type Cart,
} from "./cart";
import { asApiError, fieldMessage, isItemField, itemErrorsByProduct, shortageFor, shortagesOf } from "./errors";
import { attemptFor, firstAttempt, type Attempt } from "./idempotency";
import { clientOptions } from "./lookups";
import { SearchPicker, type PickerOption } from "./SearchPicker";
import type { OrderCreate } from "./types";
import { useDebouncedValue } from "../ui/useDebouncedValue";
import "./orders.css";

/** Fields of POST /orders shown beside their inputs (the rest goes in the alert). */
const FORM_FIELDS = new Set(["client_id", "items", "notes", "desired_delivery_date"]);

/**
 * Novo pedido (admin and staff): the client, products searched with what is free now,
 * quantities, notes and a desired delivery day. The order service checks the stock again when
 * the order arrives (409 with the shortages, shown on their lines) and the stock service
 * reserves it right after; the new order's page follows that.
 */
export function NewOrderPage() {
  const { t } = useTranslation("orders");
  const id = useId();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [client, setClient] = useState<PickerOption | null>(null);
  const [productText, setProductText] = useState("");
  const [cart, setCart] = useState<Cart>([]);
  const [notes, setNotes] = useState("");
  const [deliveryDate, setDeliveryDate] = useState("");
  const [tried, setTried] = useState(false);
  // One Idempotency-Key per order being written, made once: the same body sent again (after
  // a timeout, a 503, a second click) reuses it; a changed body gets a new one on sending.
  const [attempt, setAttempt] = useState<Attempt>(() => firstAttempt());

  const search = useDebouncedValue(productText.trim());
  const products = useQuery({
    queryKey: orderKeys.search("products-order", search),
    queryFn: ({ signal }) => searchProducts(search, { activeOnly: true, pageSize: PRODUCT_PAGE_SIZE, signal }),
    placeholderData: keepPreviousData,
  });

  const place = useMutation({
    mutationFn: ({ body, key }: { body: OrderCreate; key: string }) => placeOrder(body, key),
    onSuccess: async (order) => {
      await afterOrderChanged(queryClient, order);
      void navigate(`/pedidos/${order.id}`);
    },
  });

  const problem = cartProblem(cart, client?.id ?? null);
  const error = asApiError(place.error);
  const sentItems = place.variables?.body.items ?? [];
  const lineErrors = itemErrorsByProduct(place.error, sentItems);
  const shortages = shortagesOf(place.error);
  const beyond = linesBeyondStock(cart);

  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (problem || !client || place.isPending) {
      return;
    }
    const body = orderRequest(cart, client.id, notes, deliveryDate);
    const next = attemptFor(attempt, body);
    setAttempt(next);
    place.mutate({ body, key: next.key });
  }

  const clientError =
    fieldMessage(error, "client_id") ?? (tried && problem === "noClient" ? t("new.chooseClient") : null);
  const productRows = products.data ?? [];
  const searchError = asApiError(products.error);

  return (
    <div className="orders-page" data-testid="new-order-page">
      <h1>{t("new.title")}</h1>
      <form className="orders-new" onSubmit={submit} noValidate aria-busy={place.isPending} data-testid="new-order">
        <section className="card" aria-labelledby={`${id}-client-title`}>
          <h2 id={`${id}-client-title`}>{t("new.clientTitle")}</h2>
          <SearchPicker
            id={`${id}-client`}
            label={t("new.client")}
            searchKey="clients"
            search={clientOptions}
            value={client}
            onChange={setClient}
            placeholder={t("new.clientPlaceholder")}
            error={clientError}
            testId="order-client"
          />
        </section>

        <section className="card" aria-labelledby={`${id}-products-title`}>
          <h2 id={`${id}-products-title`}>{t("new.productsTitle")}</h2>
          <div className="field">
            <label htmlFor={`${id}-product-search`}>{t("new.productSearch")}</label>
            <input
              id={`${id}-product-search`}
              type="search"
              autoComplete="off"
              value={productText}
              onChange={(event) => setProductText(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === "Enter") {
                  event.preventDefault(); // searching, not sending the order
                }
              }}
              placeholder={t("new.productPlaceholder")}
              data-testid="product-search"
            />
          </div>
          {searchError && <ErrorAlert error={searchError} testId="product-search-error" />}
          <div className="orders-scroll" role="region" aria-label={t("new.productsTitle")} tabIndex={0}>
            <table
              className={products.isPlaceholderData ? "orders-table collapses stale" : "orders-table collapses"}
              aria-busy={products.isFetching}
              data-testid="product-results"
            >
              <thead>
                <tr>
                  <th scope="col">{t("item.product")}</th>
                  <th scope="col" className="orders-num">
                    {t("item.unitPrice")}
                  </th>
                  <th scope="col" className="orders-num">
                    {t("item.available")}
                  </th>
                  <th scope="col">
                    <span className="visually-hidden">{t("item.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {products.isPending && (
                  <tr aria-hidden="true" className="orders-skeleton-row">
                    {[0, 1, 2, 3].map((cell) => (
                      <td key={cell}>
                        <span className="orders-skeleton" />
                      </td>
                    ))}
                  </tr>
                )}
                {products.isSuccess && productRows.length === 0 && (
                  <tr>
                    <td colSpan={4} className="orders-empty">
                      {search ? t("picker.nothingFor", { text: search }) : t("new.noProducts")}
                    </td>
                  </tr>
                )}
                {productRows.map((product) => {
                  const inCart = quantityOf(cart, product.id);
                  const available = product.stock?.available ?? 0;
                  return (
                    <tr key={product.id} data-testid="product-row">
                      <td>
                        {product.name}
                        {product.section && <span className="muted small orders-block">{product.section}</span>}
                      </td>
                      <td className="orders-num orders-nowrap" data-label={t("item.unitPrice")}>
                        {formatMoney(product.price)} / {product.unit}
                      </td>
                      <td
                        className={available > 0 ? "orders-num" : "orders-num orders-warn"}
                        data-label={t("item.available")}
                      >
                        {formatNumber(available)}
                      </td>
                      <td className="orders-row-actions">
                        <button
                          type="button"
                          className="button small"
                          disabled={inCart === 0 && cart.length >= MAX_LINES}
                          onClick={() => setCart(addProduct(cart, productChoice(product)))}
                          aria-label={t("new.addNamed", { name: product.name })}
                          data-testid="product-add"
                        >
                          {inCart > 0 ? t("new.addOneMore", { count: inCart }) : t("new.add")}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>

        <section className="card" aria-labelledby={`${id}-cart-title`} data-testid="cart">
          <h2 id={`${id}-cart-title`}>{t("new.cartTitle")}</h2>
          {cart.length === 0 ? (
            <p className={tried ? "field-error" : "muted"} data-testid="cart-empty">
              {t("new.cartEmpty")}
            </p>
          ) : (
            <div className="orders-scroll" role="region" aria-label={t("new.cartTitle")} tabIndex={0}>
              <table className="orders-table collapses">
                <thead>
                  <tr>
                    <th scope="col">{t("item.product")}</th>
                    <th scope="col" className="orders-num">
                      {t("item.unitPrice")}
                    </th>
                    <th scope="col">{t("item.quantity")}</th>
                    <th scope="col" className="orders-num">
                      {t("item.lineTotal")}
                    </th>
                    <th scope="col">
                      <span className="visually-hidden">{t("item.actions")}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {cart.map((line) => {
                    const inputId = `${id}-qty-${line.product.id}`;
                    const shortage = shortageFor(shortages, line.product.id);
                    const messages = [
                      ...(lineErrors.get(line.product.id) ?? []),
                      ...(tried && line.quantity < 1 ? [t("item.quantityInvalid", { max: formatNumber(MAX_QUANTITY) })] : []),
                    ];
                    const warn = line.quantity > line.product.available;
                    return (
                      <tr key={line.product.id} data-testid="cart-line" className={shortage ? "orders-short" : undefined}>
                        <td>
                          {line.product.name}
                          {shortage && (
                            <p className="field-error" data-testid="line-shortage">
                              {t("item.shortage", {
                                requested: formatNumber(shortage.requested),
                                available: formatNumber(shortage.available),
                              })}
                            </p>
                          )}
                          {messages.map((message) => (
                            <p key={message} className="field-error" id={`${inputId}-error`}>
                              {message}
                            </p>
                          ))}
                          {!shortage && warn && (
                            <p className="muted small">
                              {t("new.beyondStock", { available: formatNumber(line.product.available) })}
                            </p>
                          )}
                        </td>
                        <td className="orders-num orders-nowrap" data-label={t("item.unitPrice")}>
                          {formatMoney(line.product.price)} / {line.product.unit}
                        </td>
                        <td data-label={t("item.quantity")}>
                          <label className="visually-hidden" htmlFor={inputId}>
                            {t("item.quantityOf", { name: line.product.name })}
                          </label>
                          <input
                            id={inputId}
                            className="orders-qty"
                            type="number"
                            inputMode="numeric"
                            min={1}
                            max={MAX_QUANTITY}
                            step={1}
                            value={line.quantity || ""}
                            onChange={(event) =>
                              setCart(setLineQuantity(cart, line.product.id, parseQuantity(event.target.value)))
                            }
                            aria-invalid={messages.length > 0 || shortage ? true : undefined}
                            aria-describedby={messages.length > 0 ? `${inputId}-error` : undefined}
                            data-testid="cart-quantity"
                          />
                        </td>
                        <td
                          className="orders-num orders-nowrap"
                          data-label={t("item.lineTotal")}
                          data-testid="cart-line-total"
                        >
                          {formatCents(lineTotalCents(line))}
                        </td>
                        <td className="orders-row-actions">
                          <button
                            type="button"
                            className="button small"
                            onClick={() => setCart(removeLine(cart, line.product.id))}
                            aria-label={t("item.removeNamed", { name: line.product.name })}
                            data-testid="cart-remove"
                          >
                            {t("item.remove")}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
                <tfoot>
                  <tr>
                    <th scope="row" colSpan={3}>
                      {t("new.estimatedTotal")}
                    </th>
                    <td className="orders-num orders-nowrap">
                      <strong data-testid="cart-total">{formatCents(cartTotalCents(cart))}</strong>
                    </td>
                    <td />
                  </tr>
                </tfoot>
              </table>
            </div>
          )}
          {fieldMessage(error, "items") && <p className="field-error">{fieldMessage(error, "items")}</p>}
          {problem === "tooManyLines" && (
            <p className="field-error">{t("new.tooManyLines", { max: formatNumber(MAX_LINES) })}</p>
          )}
          {beyond.length > 0 && (
            <p className="muted small" role="status">
              {t("new.beyondNote")}
            </p>
          )}
          <p className="muted small">{t("new.totalNote")}</p>
        </section>

        <section className="card" aria-labelledby={`${id}-details-title`}>
          <h2 id={`${id}-details-title`}>{t("new.detailsTitle")}</h2>
          <div className="orders-form-grid">
            <div className="field">
              <label htmlFor={`${id}-date`}>{t("new.deliveryDate")}</label>
              <input
                id={`${id}-date`}
                type="date"
                value={deliveryDate}
                onChange={(event) => setDeliveryDate(event.target.value)}
                aria-invalid={fieldMessage(error, "desired_delivery_date") ? true : undefined}
                aria-describedby={fieldMessage(error, "desired_delivery_date") ? `${id}-date-error` : undefined}
                data-testid="order-delivery-date"
              />
              {fieldMessage(error, "desired_delivery_date") && (
                <p className="field-error" id={`${id}-date-error`}>
                  {fieldMessage(error, "desired_delivery_date")}
                </p>
              )}
            </div>
            <div className="field orders-wide-field">
              <label htmlFor={`${id}-notes`}>{t("new.notes")}</label>
              <textarea
                id={`${id}-notes`}
                value={notes}
                maxLength={2000}
                onChange={(event) => setNotes(event.target.value)}
                aria-invalid={fieldMessage(error, "notes") ? true : undefined}
                aria-describedby={fieldMessage(error, "notes") ? `${id}-notes-error` : undefined}
                data-testid="order-notes"
              />
              {fieldMessage(error, "notes") && (
                <p className="field-error" id={`${id}-notes-error`}>
                  {fieldMessage(error, "notes")}
                </p>
              )}
            </div>
          </div>
        </section>

        <div className="orders-submit">
          {error && (
            <ErrorAlert
              error={error}
              testId="order-error"
              withFieldErrors={error.errors.some((item) => !FORM_FIELDS.has(item.field) && !isItemField(item.field))}
            />
          )}
          <p className="orders-total-line">
            {t("new.estimatedTotal")} <strong>{formatCents(cartTotalCents(cart))}</strong>
          </p>
          <button
            type="submit"
            className="button primary"
            disabled={place.isPending}
            aria-busy={place.isPending}
            data-testid="order-submit"
          >
            {place.isPending ? t("new.sending") : t("new.submit")}
          </button>
        </div>
      </form>
    </div>
  );
}
