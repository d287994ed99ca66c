import { describe, expect, it } from "vitest";

import {
  NO_PRODUCT_FILTERS,
  pageCount,
  productFiltersToParams,
  productsPath,
  readPage,
  readProductFilters,
  readSupplierFilters,
  sortDirection,
  supplierFiltersToParams,
  supplierOrdersPath,
  suppliersPath,
  toggleSort,
} from "./filters";

const SUPPLIER = "5b0c2d8e-8a61-4f0e-9d3c-1f2a3b4c5d6e";

describe("readProductFilters", () => {
  it("is every default for an empty query string", () => {
    expect(readProductFilters(new URLSearchParams())).toEqual(NO_PRODUCT_FILTERS);
  });

  it("reads every filter from the URL", () => {
    const params = new URLSearchParams(
      `q=arroz&section=Mercearia&category=Grãos&active=true&available=false&supplier_id=${SUPPLIER}` +
        "&min_price=10.5&max_price=30&sort=-price&page=3",
    );
    expect(readProductFilters(params)).toEqual({
      q: "arroz",
      section: "Mercearia",
      category: "Grãos",
      active: "true",
      available: "false",
      supplier_id: SUPPLIER,
      min_price: "10.5",
      max_price: "30",
      sort: "-price",
      page: 3,
    });
  });

  it("drops what is malformed instead of sending it to the API", () => {
    const params = new URLSearchParams(
      "active=yes&available=1&supplier_id=abc&min_price=dez&max_price=-3&sort=random&page=0",
    );
    expect(readProductFilters(params)).toEqual(NO_PRODUCT_FILTERS);
    expect(readProductFilters(new URLSearchParams("page=2.5")).page).toBe(1);
    expect(readProductFilters(new URLSearchParams("page=1000001")).page).toBe(1);
  });

  it("accepts a price written the Brazilian way and keeps it the API's way", () => {
    expect(readProductFilters(new URLSearchParams("min_price=10,50")).min_price).toBe("10.5");
    expect(readProductFilters(new URLSearchParams("max_price=1.234,56")).max_price).toBe("1234.56");
  });
});

describe("productFiltersToParams", () => {
  it("leaves defaults out: an empty query string for no filter", () => {
    expect(productFiltersToParams(NO_PRODUCT_FILTERS).toString()).toBe("");
  });

  it("writes what readProductFilters reads back (round trip)", () => {
    const filters = {
      ...NO_PRODUCT_FILTERS,
      q: "feijão",
      section: "Mercearia",
      active: "false" as const,
      supplier_id: SUPPLIER,
      min_price: "5,9",
      sort: "available" as const,
      page: 2,
    };
    const params = productFiltersToParams(filters);
    expect(params.get("min_price")).toBe("5.9");
    expect(readProductFilters(params)).toEqual({ ...filters, min_price: "5.9" });
  });

  it("trims text and drops page 1 and the default sort", () => {
    const params = productFiltersToParams({ ...NO_PRODUCT_FILTERS, q: "  sal ", sort: "name", page: 1 });
    expect(params.toString()).toBe("q=sal");
  });
});

describe("productsPath", () => {
  it("always sends the page, its size and the sort", () => {
    expect(productsPath(NO_PRODUCT_FILTERS)).toBe("/products?page=1&page_size=20&sort=name");
    const path = productsPath({ ...NO_PRODUCT_FILTERS, available: "true", max_price: "20", page: 4 });
    const params = new URLSearchParams(path.split("?")[1]);
    expect(Object.fromEntries(params)).toEqual({
      available: "true",
      max_price: "20",
      page: "4",
      page_size: "20",
      sort: "name",
    });
  });
});

describe("sorting by a column", () => {
  it("sorts ascending first, then reverses", () => {
    expect(toggleSort("name", "price")).toBe("price");
    expect(toggleSort("price", "price")).toBe("-price");
    expect(toggleSort("-price", "price")).toBe("price");
  });

  it("tells aria-sort the direction", () => {
    expect(sortDirection("-available", "available")).toBe("descending");
    expect(sortDirection("name", "name")).toBe("ascending");
    expect(sortDirection("name", "price")).toBe("none");
  });
});

describe("suppliers' filters", () => {
  it("reads and writes the search and the page; the API calls the search `name`", () => {
    const filters = readSupplierFilters(new URLSearchParams("q=%20Boa%20Safra%20&page=2"));
    expect(filters).toEqual({ q: "Boa Safra", page: 2 });
    expect(supplierFiltersToParams(filters).toString()).toBe("q=Boa+Safra&page=2");
    expect(supplierFiltersToParams({ q: "", page: 1 }).toString()).toBe("");
    expect(suppliersPath(filters)).toBe("/suppliers?page=2&page_size=20&name=Boa+Safra");
  });

  it("reads a bad page as the first", () => {
    expect(readPage("abc")).toBe(1);
    expect(readPage(null)).toBe(1);
    expect(readPage(" 7 ")).toBe(7);
  });
});

describe("a supplier's orders", () => {
  it("asks for a page, with the status when one is chosen", () => {
    expect(supplierOrdersPath(SUPPLIER, { status: "", page: 1 })).toBe(
      `/suppliers/${SUPPLIER}/orders?page=1&page_size=20`,
    );
    expect(supplierOrdersPath(SUPPLIER, { status: "pending", page: 2 })).toBe(
      `/suppliers/${SUPPLIER}/orders?page=2&page_size=20&status=pending`,
    );
  });

  it("counts the pages from the summary's total", () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(20)).toBe(1);
    expect(pageCount(21)).toBe(2);
  });
});
