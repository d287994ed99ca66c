import { describe, expect, it } from "vitest";

import {
  addDays,
  businessToday,
  defaultPeriod,
  performanceReportPath,
  periodReportPath,
  readMonths,
  readPeriod,
  withMonths,
  withPeriod,
} from "./reports";

describe("businessToday", () => {
  it("is the day in Brasília, not in UTC", () => {
    // 02:30 UTC on 1 Dec is still 23:30 on 30 Nov in São Paulo (UTC−3).
    expect(businessToday(new Date("2026-12-01T02:30:00Z"))).toBe("2026-11-30");
    expect(businessToday(new Date("2026-12-01T03:00:00Z"))).toBe("2026-12-01");
  });
});

describe("addDays", () => {
  it("crosses months, years and leap days", () => {
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2026-11-30", 0)).toBe("2026-11-30");
  });
});

describe("defaultPeriod", () => {
  it("is the last 30 days with today, both ends included", () => {
    expect(defaultPeriod("2026-11-30")).toEqual({ date_from: "2026-11-01", date_to: "2026-11-30" });
    expect(defaultPeriod("2026-01-10")).toEqual({ date_from: "2025-12-12", date_to: "2026-01-10" });
  });
});

describe("readPeriod", () => {
  const today = "2026-11-30";

  it("takes the dates from the URL", () => {
    const params = new URLSearchParams("date_from=2026-01-01&date_to=2026-06-30&months=6");
    expect(readPeriod(params, today)).toEqual({ date_from: "2026-01-01", date_to: "2026-06-30" });
  });

  it("uses the last 30 days for a missing or malformed date", () => {
    expect(readPeriod(new URLSearchParams(), today)).toEqual(defaultPeriod(today));
    expect(readPeriod(new URLSearchParams("date_from=ontem&date_to=2026-11-15"), today)).toEqual({
      date_from: "2026-11-01",
      date_to: "2026-11-15",
    });
  });

  it("keeps a reversed window for the API to refuse with its message", () => {
    const params = new URLSearchParams("date_from=2026-12-01&date_to=2026-01-01");
    expect(readPeriod(params, today)).toEqual({ date_from: "2026-12-01", date_to: "2026-01-01" });
  });
});

describe("readMonths", () => {
  it("is 3 when the URL names none or something that is not a whole number", () => {
    expect(readMonths(new URLSearchParams())).toBe(3);
    expect(readMonths(new URLSearchParams("months="))).toBe(3);
    expect(readMonths(new URLSearchParams("months=seis"))).toBe(3);
    expect(readMonths(new URLSearchParams("months=2.5"))).toBe(3);
  });

  it("brings the number into 1–24", () => {
    expect(readMonths(new URLSearchParams("months=12"))).toBe(12);
    expect(readMonths(new URLSearchParams("months=0"))).toBe(1);
    expect(readMonths(new URLSearchParams("months=99"))).toBe(24);
  });
});

describe("withPeriod and withMonths", () => {
  it("set their filters and keep the others", () => {
    const start = new URLSearchParams("months=6&date_from=2026-01-01");
    const period = withPeriod(start, { date_from: "2026-02-01", date_to: "2026-02-28" });
    expect(period.toString()).toBe("months=6&date_from=2026-02-01&date_to=2026-02-28");
    expect(withMonths(period, 12).get("months")).toBe("12");
    expect(withMonths(period, 12).get("date_to")).toBe("2026-02-28");
    expect(start.toString()).toBe("months=6&date_from=2026-01-01"); // not changed in place
  });
});

describe("periodReportPath", () => {
  it("sends the dates and the groupings as one comma-separated group_by", () => {
    const path = periodReportPath({ date_from: "2026-11-01", date_to: "2026-11-30" });
    const [route, query] = path.split("?");
    expect(route).toBe("/orders/reports/period");
    const params = new URLSearchParams(query);
    expect(params.get("date_from")).toBe("2026-11-01");
    expect(params.get("date_to")).toBe("2026-11-30");
    // The API reads a delimited list: a repeated group_by would keep only the first.
    expect(params.getAll("group_by")).toEqual(["status,client"]);
  });

  it("leaves group_by out when no grouping is asked for", () => {
    expect(periodReportPath({ date_from: "2026-11-01", date_to: "2026-11-30" }, [])).toBe(
      "/orders/reports/period?date_from=2026-11-01&date_to=2026-11-30",
    );
  });
});

describe("performanceReportPath", () => {
  it("sends the months", () => {
    expect(performanceReportPath(6)).toBe("/orders/reports/performance?months=6");
  });
});
