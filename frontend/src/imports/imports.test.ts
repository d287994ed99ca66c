import { describe, expect, it } from "vitest";

import { progressPercent } from "./imports";

describe("progressPercent", () => {
  it("is the share of lines processed, rounded", () => {
    expect(progressPercent({ processed: 300, total_lines: 20000 })).toBe(2);
    expect(progressPercent({ processed: 20000, total_lines: 20000 })).toBe(100);
  });

  it("is 0 before the file is counted", () => {
    expect(progressPercent({ processed: 0, total_lines: 0 })).toBe(0);
  });
});
