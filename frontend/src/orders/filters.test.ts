import { describe, expect, it } from "vitest";

import {
  DEFAULT_QUERY,
  NO_FILTERS,
  activeFilterCount,
  filterProblems,
  filtersOf,
  listQueryToParams,
  ordersListPath,
  readListQuery,
  selectionScope,
  sortDirection,
  toggleSort,
  withFilters,
  withPage,
  type OrderListQuery,
} from "./filters";

const CLIENT = "0b6f3a52-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const PRODUCT = "5b0c2d8e-8a61-4f0e-9d3c-1f2a3b4c5d6e";
const SUPPLIER = "7e8f9a0b-1c2d-4e3f-9a4b-5c6d7e8f9a0b";
const ORDER = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";

const read = (query: string) => readListQuery(new URLSearchParams(query));

describe("readListQuery", () => {
  it("is the default list for an empty query string", () => {
    expect(read("")).toEqual(DEFAULT_QUERY);
    expect(DEFAULT_QUERY).toMatchObject({ sort: "-created_at", page: 1, page_size: 20 });
  });

  it("reads every filter of GET /orders, the sort and the page", () => {
    const query = read(
      `status=approved&stock_status=reserved&client_id=${CLIENT}&product_id=${PRODUCT}&supplier_id=${SUPPLIER}` +
        `&section=Mercearia&id=${ORDER}&date_from=2026-11-01&date_to=2026-11-30&sort=-total&page=3&page_size=50`,
    );
    expect(query).toEqual({
      status: "approved",
      stock_status: "reserved",
      client_id: CLIENT,
      product_id: PRODUCT,
      supplier_id: SUPPLIER,
      section: "Mercearia",
      id: ORDER,
      date_from: "2026-11-01",
      date_to: "2026-11-30",
      sort: "-total",
      page: 3,
      page_size: 50,
    });
  });

  it("leaves out what is malformed, as if it were not there", () => {
    const query = read(
      "status=archived&stock_status=maybe&client_id=123&id=abc&date_from=ontem&sort=name&page=0&page_size=7",
    );
    expect(query).toEqual(DEFAULT_QUERY);
    expect(read("page=2.5").page).toBe(1);
    expect(read("page=-2").page).toBe(1);
    expect(read("page_size=1000").page_size).toBe(20);
  });

  it("keeps a reversed window for the API to refuse beside the date", () => {
    expect(read("date_from=2026-12-01&date_to=2026-01-01")).toMatchObject({
      date_from: "2026-12-01",
      date_to: "2026-01-01",
    });
  });

  it("lower-cases ids and trims the section", () => {
    expect(read(`client_id=${CLIENT.toUpperCase()}&section=%20Hortifruti%20`)).toMatchObject({
      client_id: CLIENT,
      section: "Hortifruti",
    });
  });
});

describe("listQueryToParams", () => {
  it("writes only what differs from the defaults", () => {
    expect(listQueryToParams(DEFAULT_QUERY).toString()).toBe("");
    expect(listQueryToParams({ ...DEFAULT_QUERY, status: "pending" }).toString()).toBe("status=pending");
  });

  it("round-trips with readListQuery", () => {
    const query: OrderListQuery = {
      ...DEFAULT_QUERY,
      status: "shipped",
      client_id: CLIENT,
      section: "Frios e laticínios",
      date_from: "2026-01-01",
      sort: "number",
      page: 4,
      page_size: 100,
    };
    const params = listQueryToParams(query);
    expect(params.toString()).toBe(
      `status=shipped&client_id=${CLIENT}&section=Frios+e+latic%C3%ADnios&date_from=2026-01-01&sort=number&page=4&page_size=100`,
    );
    expect(readListQuery(new URLSearchParams(params.toString()))).toEqual(query);
  });
});

describe("ordersListPath", () => {
  it("asks for the filters, the sort, the page and the names", () => {
    const path = ordersListPath({ ...DEFAULT_QUERY, status: "pending", supplier_id: SUPPLIER, page: 2 });
    const [route, query] = path.split("?");
    expect(route).toBe("/orders");
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      status: "pending",
      supplier_id: SUPPLIER,
      sort: "-created_at",
      page: "2",
      page_size: "20",
      with_details: "true",
    });
  });
});

describe("filters and pages", () => {
  it("goes back to the first page when the filters change", () => {
    const query = { ...DEFAULT_QUERY, page: 5, sort: "total" as const };
    const next = withFilters(query, { ...filtersOf(query), status: "cancelled" });
    expect(next).toMatchObject({ status: "cancelled", page: 1, sort: "total" });
  });

  it("moves between pages and never below the first", () => {
    expect(withPage(DEFAULT_QUERY, 3).page).toBe(3);
    expect(withPage(DEFAULT_QUERY, 0).page).toBe(1);
  });

  it("counts the filters in use", () => {
    expect(activeFilterCount(NO_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...NO_FILTERS, status: "pending", section: "  " , date_to: "2026-01-01" })).toBe(2);
  });

  it("keeps a selection across pages, not across other filters or sorts", () => {
    const base = { ...DEFAULT_QUERY, status: "pending" as const };
    expect(selectionScope({ ...base, page: 2, page_size: 50 })).toBe(selectionScope(base));
    expect(selectionScope({ ...base, status: "approved" })).not.toBe(selectionScope(base));
    expect(selectionScope({ ...base, sort: "total" })).not.toBe(selectionScope(base));
  });

  it("checks an order id before asking", () => {
    expect(filterProblems({ ...NO_FILTERS, id: "1042" })).toEqual({ id: "uuid" });
    expect(filterProblems({ ...NO_FILTERS, id: ORDER })).toEqual({});
    expect(filterProblems(NO_FILTERS)).toEqual({});
  });
});

describe("sorting", () => {
  it("sorts a column its natural way first (newest, highest), then the other way", () => {
    expect(toggleSort("-created_at", "total")).toBe("-total");
    expect(toggleSort("-total", "total")).toBe("total");
    expect(toggleSort("total", "total")).toBe("-total");
    expect(toggleSort("-created_at", "created_at")).toBe("created_at");
  });

  it("tells each header its aria-sort", () => {
    expect(sortDirection("-number", "number")).toBe("descending");
    expect(sortDirection("number", "number")).toBe("ascending");
    expect(sortDirection("number", "total")).toBe("none");
  });
});
