import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";

import { formatMoney, formatNumber } from "../i18n/format";
import { addOrderItem, afterOrderChanged, changeItemQuantity, orderKeys, removeOrderItem } from "./api";
import { formatCents, lineCents } from "../money/cents";
import { MAX_QUANTITY, parseQuantity, totalWithLineChange } from "./cart";
import { asApiError, fieldMessage, shortageFor, shortagesOf } from "./errors";
import { productOptions } from "./lookups";
import { SearchPicker, type PickerOption } from "./SearchPicker";
import type { OrderDetail, OrderItem, Shortage } from "./types";

interface OrderItemsTableProps {
  order: OrderDetail;
  /** Lines can change (the order is pending): quantities, additions, removals. */
  editable: boolean;
}

/**
 * The order's lines with their captured prices. While the order is pending each line's
 * quantity can change and lines can be added or removed; each change re-reserves the whole
 * order, and the API's refusal (409 shortage, 400) is shown on the line it is about.
 */
export function OrderItemsTable({ order, editable }: OrderItemsTableProps) {
  const { t } = useTranslation("orders");
  const id = useId();
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="order-items">
      <h2 id={`${id}-title`}>{t("detail.itemsTitle", { count: order.items.length })}</h2>
      {editable && <p className="muted small">{t("detail.itemsEditable")}</p>}
      <div className="orders-scroll" role="region" aria-labelledby={`${id}-title`} tabIndex={0}>
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
              {editable && (
                <th scope="col">
                  <span className="visually-hidden">{t("item.actions")}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {order.items.map((item) => (
              // Keyed by the quantity too: once the order comes back changed, the field starts over.
              <ItemRow
                key={`${item.id}:${item.quantity}`}
                order={order}
                item={item}
                editable={editable}
                stockShortage={shortageFor(order.shortages, item.product_id)}
              />
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={3}>
                {t("detail.total")}
              </th>
              <td className="orders-num orders-nowrap">
                <strong data-testid="order-total">{formatMoney(order.total)}</strong>
              </td>
              {editable && <td />}
            </tr>
          </tfoot>
        </table>
      </div>
      {editable && <AddItemForm order={order} />}
    </section>
  );
}

function ItemRow({
  order,
  item,
  editable,
  stockShortage,
}: {
  order: OrderDetail;
  item: OrderItem;
  editable: boolean;
  /** The stock's refusal of this product (stock_status rejected). */
  stockShortage: Shortage | null;
}) {
  const { t } = useTranslation("orders");
  const queryClient = useQueryClient();
  const inputId = useId();
  const [text, setText] = useState(String(item.quantity));
  const [confirmRemove, setConfirmRemove] = useState(false);
  const change = useMutation({
    mutationFn: (quantity: number) => changeItemQuantity(order.id, item.id, quantity),
    onSuccess: (updated) => afterOrderChanged(queryClient, updated),
    onError: () => queryClient.invalidateQueries({ queryKey: orderKeys.detail(order.id) }),
  });
  const remove = useMutation({
    mutationFn: () => removeOrderItem(order.id, item.id),
    onSuccess: (updated) => afterOrderChanged(queryClient, updated),
    onError: () => queryClient.invalidateQueries({ queryKey: orderKeys.detail(order.id) }),
  });

  const quantity = parseQuantity(text);
  const changed = quantity !== null && quantity !== item.quantity;
  const failure = change.error ?? remove.error;
  const apiError = asApiError(failure);
  const shortage = shortageFor(shortagesOf(failure), item.product_id) ?? stockShortage;
  const quantityMessage =
    fieldMessage(change.error, "quantity") ??
    (quantity === null ? t("item.quantityInvalid", { max: formatNumber(MAX_QUANTITY) }) : null);
  const name = item.product_name ?? item.product_id;
  const preview = changed ? totalWithLineChange(order.total, item.unit_price, item.quantity, quantity) : null;

  function save(event: FormEvent) {
    event.preventDefault();
    if (changed && !change.isPending) {
      remove.reset();
      change.mutate(quantity);
    }
  }

  return (
    <tr data-testid="order-item" className={shortage ? "orders-short" : undefined} aria-busy={change.isPending || remove.isPending}>
      <td>
        <span className="orders-item-name">{name}</span>
        {(item.section || item.supplier_name) && (
          <span className="muted small orders-block">
            {[item.section, item.supplier_name].filter(Boolean).join(" · ")}
          </span>
        )}
        {shortage && (
          <p className="field-error" data-testid="item-shortage">
            {t("item.shortage", {
              requested: formatNumber(shortage.requested),
              available: formatNumber(shortage.available),
            })}
          </p>
        )}
        {apiError && !shortage && (
          <p className="field-error" role="alert" data-testid="item-error">
            {apiError.message}
          </p>
        )}
      </td>
      <td className="orders-num orders-nowrap" data-label={t("item.unitPrice")}>
        <span>
          {formatMoney(item.unit_price)}
          {item.unit && <span className="muted small"> / {item.unit}</span>}
        </span>
      </td>
      <td data-label={t("item.quantity")}>
        {editable ? (
          <form className="orders-qty-form" onSubmit={save}>
            <label className="visually-hidden" htmlFor={inputId}>
              {t("item.quantityOf", { name })}
            </label>
            <input
              id={inputId}
              className="orders-qty"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_QUANTITY}
              step={1}
              value={text}
              onChange={(event) => setText(event.target.value)}
              aria-invalid={quantityMessage ? true : undefined}
              aria-describedby={quantityMessage ? `${inputId}-error` : preview ? `${inputId}-preview` : undefined}
              data-testid="item-quantity"
            />
            <button
              type="submit"
              className="button small"
              disabled={!changed || change.isPending}
              data-testid="item-save"
            >
              {change.isPending ? t("item.saving") : t("item.save")}
            </button>
            {quantityMessage && (
              <p className="field-error" id={`${inputId}-error`}>
                {quantityMessage}
              </p>
            )}
            {preview && (
              <p className="muted small" id={`${inputId}-preview`} data-testid="item-preview">
                {t("item.preview", {
                  line: formatCents(lineCents(item.unit_price, quantity ?? 0)),
                  total: formatCents(preview.totalCents),
                })}
              </p>
            )}
          </form>
        ) : (
          <span>
            {formatNumber(item.quantity)} {item.unit}
          </span>
        )}
      </td>
      <td className="orders-num orders-nowrap" data-label={t("item.lineTotal")}>
        {formatMoney(item.line_total)}
      </td>
      {editable && (
        <td className="orders-row-actions">
          {confirmRemove ? (
            <span className="orders-buttons" role="group" aria-label={t("item.removeConfirm", { name })}>
              <button
                type="button"
                className="button small danger"
                disabled={remove.isPending}
                onClick={() => {
                  change.reset();
                  remove.mutate();
                }}
                data-testid="item-remove-confirm"
              >
                {t("item.removeYes")}
              </button>
              <button type="button" className="button small" autoFocus onClick={() => setConfirmRemove(false)}>
                {t("actions.back")}
              </button>
            </span>
          ) : (
            <button
              type="button"
              className="button small"
              onClick={() => setConfirmRemove(true)}
              aria-label={t("item.removeNamed", { name })}
              data-testid="item-remove"
            >
              {t("item.remove")}
            </button>
          )}
        </td>
      )}
    </tr>
  );
}

/** A product added to the pending order (POST /orders/{id}/items). */
function AddItemForm({ order }: { order: OrderDetail }) {
  const { t } = useTranslation("orders");
  const id = useId();
  const queryClient = useQueryClient();
  const [product, setProduct] = useState<PickerOption | null>(null);
  const [text, setText] = useState("1");
  const [tried, setTried] = useState(false);
  const add = useMutation({
    mutationFn: (item: { product_id: string; quantity: number }) => addOrderItem(order.id, item),
    onSuccess: async (updated) => {
      setProduct(null);
      setText("1");
      setTried(false);
      await afterOrderChanged(queryClient, updated);
    },
    onError: () => queryClient.invalidateQueries({ queryKey: orderKeys.detail(order.id) }),
  });
  const quantity = parseQuantity(text);
  const already = product !== null && order.items.some((item) => item.product_id === product.id);
  const failure = asApiError(add.error);
  const shortage = product ? shortageFor(shortagesOf(add.error), product.id) : null;
  const productMessage =
    fieldMessage(add.error, "product_id") ??
    (already ? t("detail.alreadyInOrder") : null) ??
    (tried && !product ? t("detail.chooseProduct") : null);
  const quantityMessage =
    fieldMessage(add.error, "quantity") ??
    (quantity === null ? t("item.quantityInvalid", { max: formatNumber(MAX_QUANTITY) }) : null);

  function submit(event: FormEvent) {
    event.preventDefault();
    setTried(true);
    if (!product || quantity === null || already || add.isPending) {
      return;
    }
    add.mutate({ product_id: product.id, quantity });
  }

  const availableLabel = (available: string) => t("product.available", { available });
  return (
    <form className="orders-add-item" onSubmit={submit} noValidate aria-labelledby={`${id}-title`} data-testid="add-item">
      <h3 id={`${id}-title`}>{t("detail.addTitle")}</h3>
      <div className="orders-add-grid">
        <SearchPicker
          id={`${id}-product`}
          label={t("item.product")}
          searchKey="products-active-options"
          search={(search, signal) => productOptions(search, signal, availableLabel, true)}
          value={product}
          onChange={(option) => {
            setProduct(option);
            add.reset();
          }}
          placeholder={t("new.productPlaceholder")}
          error={productMessage}
          testId="add-item-product"
        />
        <div className="field">
          <label htmlFor={`${id}-quantity`}>{t("item.quantity")}</label>
          <input
            id={`${id}-quantity`}
            className="orders-qty"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_QUANTITY}
            step={1}
            value={text}
            onChange={(event) => setText(event.target.value)}
            aria-invalid={quantityMessage ? true : undefined}
            aria-describedby={quantityMessage ? `${id}-quantity-error` : undefined}
            data-testid="add-item-quantity"
          />
          {quantityMessage && (
            <p className="field-error" id={`${id}-quantity-error`}>
              {quantityMessage}
            </p>
          )}
        </div>
        <div className="orders-add-submit">
          <button type="submit" className="button primary" disabled={add.isPending} data-testid="add-item-submit">
            {add.isPending ? t("item.saving") : t("detail.add")}
          </button>
        </div>
      </div>
      {shortage && (
        <p className="field-error" role="alert" data-testid="add-item-shortage">
          {t("item.shortage", {
            requested: formatNumber(shortage.requested),
            available: formatNumber(shortage.available),
          })}
        </p>
      )}
      {failure && !shortage && !fieldMessage(add.error, "product_id") && !fieldMessage(add.error, "quantity") && (
        <p className="field-error" role="alert" data-testid="add-item-error">
          {failure.message}
        </p>
      )}
    </form>
  );
}
