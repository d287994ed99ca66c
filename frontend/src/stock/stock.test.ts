import { describe, expect, it } from "vitest";

import { adjustmentBody, adjustmentProblem, movementsPath, reasonSign } from "./stock";

describe("adjustmentProblem", () => {
  it("accepts a move in the direction its reason says", () => {
    expect(adjustmentProblem("10", "receipt")).toBeNull();
    expect(adjustmentProblem("+2", "return")).toBeNull();
    expect(adjustmentProblem("-3", "loss")).toBeNull();
    expect(adjustmentProblem("-3", "count")).toBeNull();
    expect(adjustmentProblem(" 7 ", "count")).toBeNull();
  });

  it("refuses entries (receipt, return) that take units out", () => {
    expect(adjustmentProblem("-1", "receipt")).toBe("must_be_positive");
    expect(adjustmentProblem("-5", "return")).toBe("must_be_positive");
  });

  it("refuses a loss that adds units", () => {
    expect(adjustmentProblem("4", "loss")).toBe("must_be_negative");
    expect(adjustmentProblem("+4", "loss")).toBe("must_be_negative");
  });

  it("lets a count go either way", () => {
    expect(reasonSign("count")).toBe("any");
    expect(adjustmentProblem("12", "count")).toBeNull();
    expect(adjustmentProblem("-12", "count")).toBeNull();
  });

  it("refuses zero, fractions, blanks and text, as the service would", () => {
    expect(adjustmentProblem("0", "count")).toBe("zero");
    expect(adjustmentProblem("-0", "loss")).toBe("zero");
    expect(adjustmentProblem("1.5", "receipt")).toBe("not_whole");
    expect(adjustmentProblem("1,5", "receipt")).toBe("not_whole");
    expect(adjustmentProblem("", "receipt")).toBe("not_whole");
    expect(adjustmentProblem("dez", "receipt")).toBe("not_whole");
    expect(adjustmentProblem("1e3", "receipt")).toBe("not_whole");
  });

  it("refuses more than the stock's ceiling of 1,000,000,000 units", () => {
    expect(adjustmentProblem("1000000000", "receipt")).toBeNull();
    expect(adjustmentProblem("1000000001", "receipt")).toBe("too_large");
    expect(adjustmentProblem("-1000000001", "loss")).toBe("too_large");
  });
});

describe("adjustmentBody", () => {
  it("sends the delta as a number and a blank note as null", () => {
    expect(adjustmentBody(" -3 ", "loss", "  ")).toEqual({ delta: -3, reason: "loss", note: null });
    expect(adjustmentBody("+10", "receipt", " NF 1234 ")).toEqual({ delta: 10, reason: "receipt", note: "NF 1234" });
  });
});

describe("movementsPath", () => {
  it("asks for a page of the ledger, narrowed to a cause when one is chosen", () => {
    expect(movementsPath("p-1", "", 1)).toBe("/stock/p-1/movements?page=1&page_size=10");
    expect(movementsPath("p-1", "loss", 3)).toBe("/stock/p-1/movements?page=3&page_size=10&cause=loss");
  });
});
