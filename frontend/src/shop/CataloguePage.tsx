import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { useCurrentUser } from "../auth/SessionContext";
import { formatMoney, formatNumber } from "../i18n/format";
import { listProducts, shopKeys } from "./api";
import {
  addToCart,
  cartProductOf,
  clampQuantity,
  freeUnits,
  itemCount,
  maxAddable,
  quantityInCart,
  type CartProduct,
} from "./cart";
import { ProductPhoto } from "./ProductPhoto";
import type { Product } from "./types";
import { CartLink, Pager, SHOP_PATH, asApiError } from "./ui";
import {
  MAX_SEARCH,
  MAX_SECTION,
  readCatalogue,
  sectionsOf,
  withCatalogue,
  withPage,
  type CatalogueFilters,
} from "./urls";
import { useCart } from "./useCart";

/**
 * Loja (`/loja`): the active products, with a search, a section and "only in stock" in the
 * URL's query string, a page at a time; each with its photo, price, free stock and
 * "add to cart" (never more than is free).
 */
export function CataloguePage() {
  const { t } = useTranslation("shop");
  const user = useCurrentUser();
  const { cart, update } = useCart(user.id);
  const [params, setParams] = useSearchParams();
  const filters = readCatalogue(params);
  const products = useQuery({
    queryKey: shopKeys.products(filters),
    queryFn: ({ signal }) => listProducts(filters, signal),
    placeholderData: keepPreviousData,
  });
  const items = products.data?.items ?? [];
  const filtered = filters.q !== "" || filters.section !== "" || filters.available;
  const error = asApiError(products.error, t("catalogue.loadError"));

  function add(product: CartProduct, quantity: number) {
    update((current) => ({ ...current, lines: addToCart(current.lines, product, quantity) }));
  }

  return (
    <section className="card wide shop" aria-labelledby="shop-title" data-testid="shop-catalogue">
      <div className="card-header">
        <h1 id="shop-title">{t("catalogue.title")}</h1>
        <CartLink count={itemCount(cart.lines)} />
      </div>
      <CatalogueFilterForm
        key={`${filters.q}\n${filters.section}\n${filters.available}`}
        filters={filters}
        sections={sectionsOf(items, filters.section)}
        onSubmit={(next) => setParams((current) => withCatalogue(current, next))}
      />

      {error && (
        <div className="shop-stack">
          <ErrorAlert error={error} testId="shop-catalogue-error" />
          <button type="button" className="button small" onClick={() => void products.refetch()}>
            {t("common:retry")}
          </button>
        </div>
      )}

      {products.isPending ? (
        <div aria-busy="true">
          <p className="muted" role="status">
            {t("catalogue.loading")}
          </p>
          <ul className="shop-grid" aria-hidden="true">
            {Array.from({ length: 6 }, (_, index) => (
              <li key={index} className="shop-product">
                <div className="shop-photo shop-skeleton" />
                <div className="shop-skeleton shop-skeleton-line" />
                <div className="shop-skeleton shop-skeleton-line short" />
              </li>
            ))}
          </ul>
        </div>
      ) : (
        products.data && (
          <>
            <p className="muted small" role="status">
              {items.length === 0
                ? filtered
                  ? t("catalogue.emptyFiltered")
                  : t("catalogue.empty")
                : products.data.totalExact
                  ? t("catalogue.count", { total: formatNumber(products.data.total) })
                  : t("catalogue.countEstimate", { total: formatNumber(products.data.total) })}
            </p>
            {items.length === 0 && filtered && (
              <p>
                <Link to={SHOP_PATH}>{t("catalogue.clear")}</Link>
              </p>
            )}
            <ul
              className={products.isPlaceholderData ? "shop-grid stale" : "shop-grid"}
              aria-busy={products.isFetching}
              aria-label={t("catalogue.listLabel")}
              data-testid="shop-products"
            >
              {items.map((product) =>
                product.id ? (
                  <ProductCard
                    key={product.id}
                    product={product}
                    inCart={quantityInCart(cart.lines, product.id)}
                    onAdd={add}
                  />
                ) : null,
              )}
            </ul>
            <Pager
              page={products.data.page}
              pages={products.data.pages}
              label={t("catalogue.pages")}
              searchFor={(page) => withPage(params, page).toString()}
            />
          </>
        )
      )}
    </section>
  );
}

function CatalogueFilterForm({
  filters,
  sections,
  onSubmit,
}: {
  filters: CatalogueFilters;
  sections: string[];
  onSubmit: (next: Partial<CatalogueFilters>) => void;
}) {
  const { t } = useTranslation("shop");
  const id = useId();
  const [q, setQ] = useState(filters.q);
  const [section, setSection] = useState(filters.section);
  const [available, setAvailable] = useState(filters.available);

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit({ q, section, available });
  }

  return (
    <form className="shop-filters" role="search" onSubmit={submit} data-testid="shop-filters">
      <div className="field">
        <label htmlFor={`${id}-q`}>{t("catalogue.searchLabel")}</label>
        <input
          id={`${id}-q`}
          type="search"
          value={q}
          maxLength={MAX_SEARCH}
          placeholder={t("catalogue.searchPlaceholder")}
          onChange={(event) => setQ(event.target.value)}
          data-testid="shop-search"
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-section`}>{t("catalogue.sectionLabel")}</label>
        <input
          id={`${id}-section`}
          type="text"
          list={`${id}-sections`}
          value={section}
          maxLength={MAX_SECTION}
          placeholder={t("catalogue.sectionPlaceholder")}
          aria-describedby={`${id}-section-hint`}
          onChange={(event) => setSection(event.target.value)}
          data-testid="shop-section"
        />
        <datalist id={`${id}-sections`}>
          {sections.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
        <span id={`${id}-section-hint`} className="muted small">
          {t("catalogue.sectionHint")}
        </span>
      </div>
      <label className="check">
        <input
          type="checkbox"
          checked={available}
          onChange={(event) => setAvailable(event.target.checked)}
          data-testid="shop-only-available"
        />
        {t("catalogue.onlyAvailable")}
      </label>
      <div className="buttons">
        <button type="submit" className="button primary">
          {t("common:search")}
        </button>
        {(filters.q !== "" || filters.section !== "" || filters.available) && (
          <Link to={SHOP_PATH} className="button">
            {t("catalogue.clear")}
          </Link>
        )}
      </div>
    </form>
  );
}

function ProductCard({
  product,
  inCart,
  onAdd,
}: {
  product: Product;
  inCart: number;
  onAdd: (product: CartProduct, quantity: number) => void;
}) {
  const { t } = useTranslation("shop");
  const id = useId();
  const [draft, setDraft] = useState("1");
  const [added, setAdded] = useState<number | null>(null);
  const choice = cartProductOf(product);
  const name = product.name ?? "";
  const unit = product.unit ?? "";
  const free = freeUnits(product.stock?.available);
  const max = maxAddable(free, inCart);
  const quantity = clampQuantity(draft, max);

  function add(event: FormEvent) {
    event.preventDefault();
    if (!choice || quantity < 1) {
      return;
    }
    onAdd(choice, quantity);
    setAdded(quantity);
    setDraft("1");
  }

  return (
    <li className="shop-product" data-testid="shop-product" data-available={free}>
      <ProductPhoto productId={product.id ?? ""} image={product.images?.[0]} name={name} />
      <h2 className="shop-product-name">{name}</h2>
      {product.section && <p className="muted small shop-product-section">{product.section}</p>}
      <p className="shop-price">
        <strong>{formatMoney(product.price ?? 0)}</strong>
        <span className="muted small"> {t("product.perUnit", { unit })}</span>
      </p>
      {free > 0 ? (
        <p className="small" data-testid="shop-product-free">
          {t("product.available", { quantity: formatNumber(free), unit })}
        </p>
      ) : (
        <p>
          <span className="badge unavailable" data-testid="shop-product-unavailable">
            {t("product.unavailable")}
          </span>
        </p>
      )}
      {inCart > 0 && (
        <p className="small shop-in-cart" data-testid="shop-product-in-cart">
          {t("product.inCart", { quantity: formatNumber(inCart), unit })}
        </p>
      )}
      {free > 0 && max < 1 && <p className="muted small">{t("product.allInCart")}</p>}
      {max >= 1 && choice && (
        <form className="shop-add" onSubmit={add}>
          <label htmlFor={`${id}-quantity`} className="small">
            {t("product.quantity")}
            <span className="visually-hidden"> {name}</span>
          </label>
          <input
            id={`${id}-quantity`}
            type="number"
            inputMode="numeric"
            min={1}
            max={max}
            step={1}
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              setAdded(null);
            }}
            onBlur={() => setDraft(String(clampQuantity(draft, max)))}
            aria-describedby={`${id}-max`}
            data-testid="shop-add-quantity"
          />
          <button type="submit" className="button primary small" data-testid="shop-add">
            {t("product.add")}
            <span className="visually-hidden"> {name}</span>
          </button>
          <span id={`${id}-max`} className="muted small shop-add-hint">
            {t("product.max", { quantity: formatNumber(max) })}
          </span>
        </form>
      )}
      <p className="small shop-added" role="status">
        {added !== null ? t("product.added", { quantity: formatNumber(added), name }) : ""}
      </p>
    </li>
  );
}
