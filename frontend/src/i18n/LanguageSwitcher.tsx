import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";

import { LANGUAGES, isLanguage, setLanguage } from "./index";

const NAMES: Record<string, string> = { "pt-BR": "Português", en: "English" };

/** The language of the app (and of the API's messages), remembered on this device. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  return (
    <label className="language">
      <span className="visually-hidden">{t("language")}</span>
      <select
        value={i18n.language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) {
            void setLanguage(event.target.value).then(() => askAgain(queryClient));
          }
        }}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {NAMES[language]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What the API said (errors, reasons) asked again in the new language: a request still on
 * its way in the old one is dropped, not waited for. */
async function askAgain(queryClient: QueryClient): Promise<void> {
  await queryClient.cancelQueries();
  await queryClient.invalidateQueries();
}
