import { describe, expect, it } from "vitest";

import {
  MAX_BULK_ORDERS,
  bulkProblem,
  bulkStatusRequest,
  needsConfirmation,
  pageSelectionState,
  selectPage,
  selectionAfterBulk,
  summarizeBulk,
  toggleRow,
} from "./bulk";

describe("selection", () => {
  it("toggles one row", () => {
    expect(toggleRow(["a"], "b")).toEqual(["a", "b"]);
    expect(toggleRow(["a", "b"], "a")).toEqual(["b"]);
  });

  it("chooses or drops a whole page, keeping the other pages' rows", () => {
    expect(selectPage(["x", "a"], ["a", "b", "c"], true)).toEqual(["x", "a", "b", "c"]);
    expect(selectPage(["x", "a", "b"], ["a", "b", "c"], false)).toEqual(["x"]);
  });

  it("tells the header checkbox whether the page is all, partly or not chosen", () => {
    expect(pageSelectionState(["a", "b"], ["a", "b"])).toBe("all");
    expect(pageSelectionState(["a"], ["a", "b"])).toBe("some");
    expect(pageSelectionState(["x"], ["a", "b"])).toBe("none");
    expect(pageSelectionState([], [])).toBe("none");
  });
});

describe("bulkStatusRequest", () => {
  it("sends each id once, the status and a trimmed note", () => {
    expect(bulkStatusRequest(["a", "b", "a"], "approved", "  reunião de segunda ")).toEqual({
      order_ids: ["a", "b"],
      new_status: "approved",
      note: "reunião de segunda",
    });
  });

  it("leaves out an empty note, and the reason unless cancelling", () => {
    expect(bulkStatusRequest(["a"], "shipped", "  ", "sem motivo")).toEqual({ order_ids: ["a"], new_status: "shipped" });
    expect(bulkStatusRequest(["a"], "cancelled", "", " cliente desistiu ")).toEqual({
      order_ids: ["a"],
      new_status: "cancelled",
      cancel_reason: "cliente desistiu",
    });
  });

  it("takes from 1 to 1,000 orders and a status", () => {
    const ids = Array.from({ length: MAX_BULK_ORDERS + 1 }, (_, index) => `id-${index}`);
    expect(bulkProblem([], "approved")).toBe("noOrders");
    expect(bulkProblem(ids, "approved")).toBe("tooMany");
    expect(bulkProblem(ids.slice(1), "approved")).toBeNull();
    expect(bulkProblem([...ids.slice(1), "id-1"], "approved")).toBeNull(); // repeated ids count once
    expect(bulkProblem(["a"], "")).toBe("noStatus");
    expect(() => bulkStatusRequest(ids, "approved")).toThrow(RangeError);
    expect(bulkStatusRequest(ids.slice(1), "approved").order_ids).toHaveLength(MAX_BULK_ORDERS);
  });

  it("asks for a confirmation before cancelling or returning", () => {
    expect(needsConfirmation("cancelled")).toBe(true);
    expect(needsConfirmation("returned")).toBe(true);
    expect(needsConfirmation("approved")).toBe(false);
  });
});

describe("summarizeBulk", () => {
  const result = {
    updated: 2,
    not_found: ["gone"],
    details: [
      { order_id: "a", number: 1042, previous_status: "pending", new_status: "approved", total: 120.73 },
      { order_id: "b", number: 1043, previous_status: "pending", new_status: "approved", total: 0.1 },
    ],
    failed: [
      {
        order_id: "c",
        number: 1044,
        status: "cancelled",
        code: "illegal_transition",
        reason: "Não é possível mudar de cancelled para approved. Permitidas: nenhuma.",
      },
    ],
    total_value_approved: 120.83,
  };

  it("counts what changed out of what was asked, and the value approved in cents", () => {
    const summary = summarizeBulk(result);
    expect(summary).toMatchObject({ updated: 2, asked: 4, approvedCents: 12083, outcome: "some" });
    expect(summary.moved.map((moved) => moved.number)).toEqual([1042, 1043]);
    expect(summary.failed[0]).toMatchObject({ number: 1044, reason: expect.stringContaining("Permitidas") });
    expect(summary.notFound).toEqual(["gone"]);
  });

  it("says whether all, some or none changed; absent lists are empty", () => {
    expect(summarizeBulk({ updated: 1, details: [{ order_id: "a" }], total_value_approved: 0 })).toMatchObject({
      asked: 1,
      outcome: "all",
      failed: [],
      notFound: [],
      approvedCents: 0,
    });
    expect(summarizeBulk({ updated: 0, not_found: ["x"] }).outcome).toBe("none");
  });

  it("keeps only the refused orders chosen afterwards", () => {
    const summary = summarizeBulk(result);
    expect(selectionAfterBulk(["a", "b", "c", "gone"], summary)).toEqual(["c"]);
  });
});
