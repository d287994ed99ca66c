import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useSearchParams } from "react-router";

import { formatMoney, formatNumber } from "../i18n/format";
import { catalogueKeys, listProducts } from "./api";
import { AuthorizedImage } from "./AuthorizedImage";
import { parseDecimal } from "./decimal";
import {
  DEFAULT_SORT,
  NO_PRODUCT_FILTERS,
  PRODUCT_SORTS,
  productFiltersToParams,
  readProductFilters,
  sortDirection,
  toggleSort,
  type ProductFilters,
  type ProductSort,
  type Tristate,
} from "./filters";
import { SupplierPicker } from "./SupplierPicker";
import type { Product } from "./types";
import { Field, Pager, QueryError, Skeleton } from "./ui";
import "./catalogue.css";

/**
 * Produtos (/produtos): the catalogue with its stock, filtered, sorted and paged by the URL's
 * query string (`?section=Mercearia&available=true&sort=-price&page=2`).
 */
export function ProductsPage() {
  const { t } = useTranslation("catalogue");
  const [params, setParams] = useSearchParams();
  const deleted = (useLocation().state as { deleted?: string } | null)?.deleted;
  const filters = readProductFilters(params);
  const list = useQuery({
    queryKey: catalogueKeys.productList(filters),
    queryFn: ({ signal }) => listProducts(filters, signal),
    placeholderData: keepPreviousData,
  });

  function show(next: ProductFilters) {
    setParams(productFiltersToParams(next));
  }

  const products = list.data?.items ?? [];
  const filtered = productFiltersToParams({ ...filters, page: 1, sort: DEFAULT_SORT }).toString() !== "";
  return (
    <section className="card wide cat-page" aria-labelledby="products-title" data-testid="products-page">
      <div className="card-header">
        <h1 id="products-title">{t("products.title")}</h1>
        <Link to="/produtos/novo" className="button primary" data-testid="new-product">
          {t("products.new")}
        </Link>
      </div>
      {deleted !== undefined && (
        <p className="cat-notice" role="status" data-testid="product-deleted">
          {t("product.deleted", { name: deleted })}
        </p>
      )}
      {/* Keyed by the URL: the back button shows its filters in the fields too. */}
      <ProductFiltersForm
        key={params.toString()}
        filters={filters}
        onApply={(next) => show({ ...next, page: 1 })}
        onClear={() => setParams(new URLSearchParams())}
      />
      <QueryError error={list.error} testId="products-error" />
      {list.isPending && <Skeleton rows={5} label={t("products.loading")} />}
      {list.data && products.length === 0 && (
        <p className="cat-empty" data-testid="products-empty">
          {filtered ? t("products.emptyFiltered") : t("products.empty")}
        </p>
      )}
      {products.length > 0 && (
        <div aria-busy={list.isPlaceholderData} className={list.isPlaceholderData ? "stale" : undefined}>
          <ProductTable
            products={products}
            sort={filters.sort}
            onSort={(column) => show({ ...filters, sort: toggleSort(filters.sort, column), page: 1 })}
          />
        </div>
      )}
      {list.data && list.data.total > 0 && (
        <Pager
          page={list.data.page}
          pages={list.data.pages}
          total={list.data.total}
          totalExact={list.data.totalExact}
          onPage={(page) => show({ ...filters, page })}
          testId="products-pager"
        />
      )}
    </section>
  );
}

interface ProductFiltersFormProps {
  filters: ProductFilters;
  onApply: (filters: ProductFilters) => void;
  onClear: () => void;
}

function ProductFiltersForm({ filters, onApply, onClear }: ProductFiltersFormProps) {
  const { t, i18n } = useTranslation("catalogue");
  const id = useId();
  // Prices come from the URL as the API writes them ("10.5"); the field shows them the
  // language's way ("10,5").
  const [draft, setDraft] = useState(() => ({
    ...filters,
    min_price: priceForInput(filters.min_price, i18n.language),
    max_price: priceForInput(filters.max_price, i18n.language),
  }));
  const [problems, setProblems] = useState<{ min_price?: string; max_price?: string }>({});
  // Anything besides the search and the sort: the folded filters start open when one is set.
  const advanced =
    productFiltersToParams({ ...filters, q: "", sort: DEFAULT_SORT, page: 1 }).toString() !== "";

  function set<K extends keyof ProductFilters>(name: K, value: ProductFilters[K]) {
    setDraft((current) => ({ ...current, [name]: value }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const min = draft.min_price.trim() === "" ? null : parseDecimal(draft.min_price);
    const max = draft.max_price.trim() === "" ? null : parseDecimal(draft.max_price);
    const found: typeof problems = {};
    if (draft.min_price.trim() !== "" && (min === null || min < 0)) found.min_price = t("products.filters.badPrice");
    if (draft.max_price.trim() !== "" && (max === null || max < 0)) found.max_price = t("products.filters.badPrice");
    if (min !== null && max !== null && min > max) found.min_price = t("products.filters.minAboveMax");
    setProblems(found);
    if (Object.keys(found).length === 0) {
      onApply(draft);
    }
  }

  const field = (name: "section" | "category", label: string) => (
    <Field id={`${id}-${name}`} label={label}>
      {(control) => (
        <input {...control} value={draft[name]} maxLength={100} onChange={(event) => set(name, event.target.value)} />
      )}
    </Field>
  );
  const price = (name: "min_price" | "max_price", label: string) => (
    <Field id={`${id}-${name}`} label={label} error={problems[name]}>
      {(control) => (
        <input
          {...control}
          inputMode="decimal"
          value={draft[name]}
          placeholder="0,00"
          onChange={(event) => set(name, event.target.value)}
        />
      )}
    </Field>
  );
  const yesNo = (name: "active" | "available", label: string) => (
    <Field id={`${id}-${name}`} label={label}>
      {(control) => (
        <select {...control} value={draft[name]} onChange={(event) => set(name, event.target.value as Tristate)}>
          <option value="">{t(`products.filters.${name}Any`)}</option>
          <option value="true">{t(`products.filters.${name}Yes`)}</option>
          <option value="false">{t(`products.filters.${name}No`)}</option>
        </select>
      )}
    </Field>
  );

  return (
    <form className="cat-filter-form" onSubmit={submit} role="search" aria-label={t("products.filters.label")} noValidate>
      <div className="cat-filters">
        <Field id={`${id}-q`} label={t("products.filters.q")} className="cat-grow">
          {(control) => (
            <input
              {...control}
              type="search"
              value={draft.q}
              maxLength={100}
              placeholder={t("products.filters.qPlaceholder")}
              onChange={(event) => set("q", event.target.value)}
            />
          )}
        </Field>
        <Field id={`${id}-sort`} label={t("products.filters.sort")}>
          {(control) => (
            <select {...control} value={draft.sort} onChange={(event) => set("sort", event.target.value as ProductSort)}>
              {PRODUCT_SORTS.map((sort) => (
                <option key={sort} value={sort}>
                  {t(`products.sort.${sort.replace("-", "desc_")}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="buttons cat-filter-buttons">
          <button type="submit" className="button primary">
            {t("products.filters.apply")}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setDraft(NO_PRODUCT_FILTERS);
              setProblems({});
              onClear();
            }}
          >
            {t("products.filters.clear")}
          </button>
        </div>
      </div>
      {/* The other filters fold away (a phone sees the list first); open when one is in use. */}
      <details className="cat-more-filters" open={advanced || Object.keys(problems).length > 0}>
        <summary>{t("products.filters.more")}</summary>
        <div className="cat-filters">
          {field("section", t("product.section"))}
          {field("category", t("product.category"))}
          <SupplierPicker
            id={`${id}-supplier`}
            label={t("product.supplier")}
            value={draft.supplier_id}
            onChange={(supplierId) => set("supplier_id", supplierId)}
            noneLabel={t("products.filters.anySupplier")}
          />
          {yesNo("active", t("products.filters.active"))}
          {yesNo("available", t("products.filters.available"))}
          {price("min_price", t("products.filters.minPrice"))}
          {price("max_price", t("products.filters.maxPrice"))}
          <div className="buttons cat-filter-buttons">
            <button type="submit" className="button primary">
              {t("products.filters.apply")}
            </button>
          </div>
        </div>
      </details>
    </form>
  );
}

function priceForInput(price: string, language: string): string {
  return language.startsWith("pt") ? price.replace(".", ",") : price;
}

type SortColumn = "name" | "price" | "available";

function ProductTable({
  products,
  sort,
  onSort,
}: {
  products: Product[];
  sort: ProductSort;
  onSort: (column: SortColumn) => void;
}) {
  const { t } = useTranslation("catalogue");
  const header = (column: SortColumn, label: string) => (
    <th scope="col" aria-sort={sortDirection(sort, column)}>
      <button type="button" className="cat-sort" onClick={() => onSort(column)}>
        {label}
        <span aria-hidden="true">
          {sortDirection(sort, column) === "ascending" ? " ▲" : sortDirection(sort, column) === "descending" ? " ▼" : ""}
        </span>
      </button>
    </th>
  );

  return (
    <table className="cat-table" data-testid="products-table">
      <caption className="visually-hidden">{t("products.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">{t("product.photo")}</span>
          </th>
          {header("name", t("product.name"))}
          {header("price", t("product.price"))}
          {header("available", t("stock.available"))}
          <th scope="col">{t("stock.onHand")}</th>
          <th scope="col">{t("stock.reserved")}</th>
          <th scope="col">{t("products.state")}</th>
        </tr>
      </thead>
      <tbody>
        {products.map((product) => (
          <ProductRow key={product.id} product={product} />
        ))}
      </tbody>
    </table>
  );
}

/** The low-stock flag and the % of ideal are the stock service's (its threshold, its
 * hysteresis), sent with each product. */
function ProductRow({ product }: { product: Product }) {
  const { t } = useTranslation("catalogue");
  const photo = product.images[0];
  const level = product.stock;
  const low = level.low_stock === true;
  return (
    <tr
      data-testid="product-row"
      data-product={product.id}
      data-available={product.stock.available}
      data-low-stock={low || undefined}
      className={low ? "cat-low" : undefined}
    >
      <td className="cat-photo-cell">
        {photo ? (
          <AuthorizedImage url={photo.url} alt={t("product.photoOf", { name: product.name })} className="cat-thumb" />
        ) : (
          <span className="cat-thumb cat-no-photo" role="img" aria-label={t("product.noPhoto")} />
        )}
      </td>
      <td className="cat-name-cell">
        <Link to={`/produtos/${product.id}`}>{product.name}</Link>
        <div className="muted small">
          {[product.section, product.category, product.supplier_name].filter(Boolean).join(" · ")}
        </div>
      </td>
      <td data-label={t("product.price")}>
        {formatMoney(product.price)}
        <span className="muted small"> / {product.unit}</span>
      </td>
      <td data-label={t("stock.available")}>
        <strong>{formatNumber(product.stock.available)}</strong>
      </td>
      <td data-label={t("stock.onHand")}>{formatNumber(product.stock.on_hand)}</td>
      <td data-label={t("stock.reserved")}>{formatNumber(product.stock.reserved)}</td>
      <td data-label={t("products.state")}>
        <span className="cat-badges">
          {low && (
            <span className="cat-badge low" data-testid="low-stock">
              {t("stock.low")}
            </span>
          )}
          {!product.active && <span className="cat-badge muted-badge">{t("product.inactive")}</span>}
        </span>
        {level.percent_of_ideal !== null && level.percent_of_ideal !== undefined && (
          <span className="small muted cat-percent">
            {t("stock.percentOfIdeal", { percent: formatNumber(level.percent_of_ideal) })}
          </span>
        )}
      </td>
    </tr>
  );
}
