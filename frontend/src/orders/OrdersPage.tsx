import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";

import { ErrorAlert } from "../api/ErrorAlert";
import { listOrders, orderKeys } from "./api";
import { BulkStatusBar } from "./BulkStatusBar";
import { NO_SELECTION, selectPage, toggleRow, type Selection } from "./bulk";
import { asApiError } from "./errors";
import {
  DEFAULT_QUERY,
  NO_FILTERS,
  activeFilterCount,
  filtersOf,
  listQueryToParams,
  readListQuery,
  selectionScope,
  toggleSort,
  withFilters,
  withPage,
  type OrderListQuery,
} from "./filters";
import { OrderFiltersForm } from "./OrderFiltersForm";
import { OrdersTable } from "./OrdersTable";
import { Pager } from "./Pager";
import "./orders.css";

/**
 * Pedidos (admin and staff): every order, with every filter of GET /orders, sorting by
 * number, date or total, pages, and a status change for many orders at once. Filters, sort
 * and page are the URL's query string (`/pedidos?status=pending&sort=total&page=2`).
 */
export function OrdersPage() {
  const { t } = useTranslation("orders");
  const [params, setParams] = useSearchParams();
  const query = readListQuery(params);
  const filters = filtersOf(query);
  const list = useQuery({
    queryKey: orderKeys.list(query),
    queryFn: ({ signal }) => listOrders(query, signal),
    placeholderData: keepPreviousData,
  });

  // The chosen rows belong to these filters and sort: other filters start a new selection.
  const scope = selectionScope(query);
  const [chosen, setChosen] = useState<{ scope: string; ids: Selection }>({ scope, ids: NO_SELECTION });
  const selection = chosen.scope === scope ? chosen.ids : NO_SELECTION;
  const select = (ids: Selection) => setChosen({ scope, ids });

  function go(next: OrderListQuery) {
    setParams(listQueryToParams(next));
  }

  const page = list.data;
  const orders = page?.items ?? [];
  const error = asApiError(list.error);
  const filtered = activeFilterCount(filters) > 0;
  const filtersKey = listQueryToParams({ ...DEFAULT_QUERY, ...filters }).toString();

  let empty;
  if (query.page > 1) {
    empty = (
      <>
        {t("list.emptyPage")}{" "}
        <button type="button" className="link" onClick={() => go(withPage(query, 1))}>
          {t("list.firstPage")}
        </button>
      </>
    );
  } else if (filtered) {
    empty = (
      <>
        {t("list.emptyFiltered")}{" "}
        <button type="button" className="link" onClick={() => go(withFilters(query, NO_FILTERS))}>
          {t("filters.clear")}
        </button>
      </>
    );
  } else {
    empty = (
      <>
        {t("list.empty")} <Link to="/pedidos/novo">{t("list.createFirst")}</Link>
      </>
    );
  }

  return (
    <div className="orders-page" data-testid="orders-page">
      <div className="orders-heading">
        <h1>{t("list.title")}</h1>
        <Link to="/pedidos/novo" className="button primary" data-testid="new-order-link">
          {t("nav.new")}
        </Link>
      </div>
      <OrderFiltersForm
        key={filtersKey}
        filters={filters}
        error={list.error}
        onApply={(next) => go(withFilters(query, next))}
      />
      <section className="card" aria-labelledby="orders-list-title" data-testid="order-list">
        <h2 id="orders-list-title" className="visually-hidden">
          {t("list.results")}
        </h2>
        {error && <ErrorAlert error={error} testId="orders-error" />}
        <BulkStatusBar selection={selection} onSelectionChange={select} />
        {!(error && !page) && (
          <OrdersTable
            orders={orders}
            sort={query.sort}
            onSort={(column) => go({ ...query, sort: toggleSort(query.sort, column), page: 1 })}
            selection={selection}
            onToggle={(id) => select(toggleRow(selection, id))}
            onTogglePage={(checked) =>
              select(
                selectPage(
                  selection,
                  orders.map((order) => order.id),
                  checked,
                ),
              )
            }
            loading={list.isPending}
            stale={list.isPlaceholderData}
            empty={empty}
          />
        )}
        {page && (page.total > 0 || query.page > 1) && (
          <Pager
            page={page.page}
            pages={page.pages}
            total={page.total}
            totalExact={page.totalExact}
            pageSize={query.page_size}
            rows={orders.length}
            busy={list.isFetching}
            onPage={(next) => go(withPage(query, next))}
            onPageSize={(size) => go({ ...query, page_size: size, page: 1 })}
          />
        )}
      </section>
    </div>
  );
}
