import { useId } from "react";
import { useTranslation } from "react-i18next";

import { formatNumber } from "../i18n/format";
import { PAGE_SIZES } from "./filters";

interface PagerProps {
  page: number;
  pages: number;
  total: number;
  /** False past 1,000 orders: `total` (and `pages`) are the database's estimate. */
  totalExact: boolean;
  pageSize: number;
  /** Rows on this page (an estimated count may end before `pages`). */
  rows: number;
  onPage: (page: number) => void;
  onPageSize: (pageSize: number) => void;
  busy: boolean;
}

/** Whether a next page can exist: by the count, or, when it is an estimate, by a full page. */
export function hasNextPage(page: number, pages: number, totalExact: boolean, rows: number, pageSize: number) {
  return totalExact ? page < pages : page < pages || rows === pageSize;
}

export function Pager({ page, pages, total, totalExact, pageSize, rows, onPage, onPageSize, busy }: PagerProps) {
  const { t } = useTranslation("orders");
  const id = useId();
  const count = totalExact
    ? t("list.orderCount", { count: total, formatted: formatNumber(total) })
    : t("list.moreThan", { formatted: formatNumber(total) });
  return (
    <nav className="orders-pager" aria-label={t("list.pages")} data-testid="orders-pager">
      <button
        type="button"
        className="button small"
        disabled={page <= 1 || busy}
        onClick={() => onPage(page - 1)}
        data-testid="page-previous"
      >
        {t("common:previous")}
      </button>
      <span className="small" data-testid="orders-count" aria-live="polite">
        {totalExact
          ? t("common:page", { page: formatNumber(page), pages: formatNumber(Math.max(pages, 1)) })
          : t("list.pageOnly", { page: formatNumber(page) })}
        {" · "}
        {count}
      </span>
      <button
        type="button"
        className="button small"
        disabled={!hasNextPage(page, pages, totalExact, rows, pageSize) || busy}
        onClick={() => onPage(page + 1)}
        data-testid="page-next"
      >
        {t("common:next")}
      </button>
      <span className="orders-page-size">
        <label htmlFor={`${id}-size`}>{t("list.pageSize")}</label>
        <select
          id={`${id}-size`}
          value={pageSize}
          onChange={(event) => onPageSize(Number(event.target.value))}
          data-testid="page-size"
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </span>
    </nav>
  );
}
