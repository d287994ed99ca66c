/**
 * Switching the language asks the API again: what it said (a refusal here) is shown in the
 * new language without a reload.
 */
import { useQuery } from "@tanstack/react-query";
import { cleanup, screen } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { api, type ApiError } from "../api/client";
import { on, refusal, stubFetch } from "../test/fetchStub";
import { renderWithProviders } from "../test/render";
import { setLanguage } from "./index";
import { LanguageSwitcher } from "./LanguageSwitcher";

function Refused() {
  const report = useQuery<unknown, ApiError>({
    queryKey: ["refused"],
    queryFn: () => api.request("/orders/reports/period"),
  });
  return <p>{report.error?.message ?? "…"}</p>;
}

beforeEach(async () => {
  await setLanguage("pt-BR");
});

afterEach(async () => {
  cleanup();
  vi.unstubAllGlobals();
  await setLanguage("pt-BR");
});

describe("LanguageSwitcher", () => {
  it("asks the API again in the chosen language", async () => {
    const sent = stubFetch(
      on("GET", "/orders/reports/period", (request) =>
        request.headers["Accept-Language"] === "en"
          ? refusal(400, "date_from cannot be after date_to.")
          : refusal(400, "date_from não pode ser depois de date_to."),
      ),
    );
    const { user } = renderWithProviders(
      <>
        <LanguageSwitcher />
        <Refused />
      </>,
    );
    expect(await screen.findByText("date_from não pode ser depois de date_to.")).toBeTruthy();

    await user.selectOptions(screen.getByRole("combobox", { name: "Idioma" }), "en");

    expect(await screen.findByText("date_from cannot be after date_to.")).toBeTruthy();
    expect(sent.map((request) => request.headers["Accept-Language"])).toEqual(["pt-BR", "en"]);
  });
});
