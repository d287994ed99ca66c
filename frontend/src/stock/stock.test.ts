import { describe, expect, it } from "vitest";

import { adjustmentProblem } from "./stock";

describe("adjustmentProblem", () => {
  it("accepts a move in the direction its reason says", () => {
    expect(adjustmentProblem(10, "receipt")).toBeNull();
    expect(adjustmentProblem(2, "return")).toBeNull();
    expect(adjustmentProblem(-3, "loss")).toBeNull();
    expect(adjustmentProblem(-3, "count")).toBeNull();
    expect(adjustmentProblem(7, "count")).toBeNull();
  });

  it("refuses zero, fractions and moves against the reason, as the service would", () => {
    expect(adjustmentProblem(0, "count")).toMatch(/diferente de zero/);
    expect(adjustmentProblem(1.5, "receipt")).toMatch(/inteira/);
    expect(adjustmentProblem(Number.NaN, "receipt")).toMatch(/inteira/);
    expect(adjustmentProblem(-1, "receipt")).toBe("Entradas (receipt, return) devem ser positivas.");
    expect(adjustmentProblem(4, "loss")).toBe("Perdas (loss) devem ser negativas.");
  });
});
