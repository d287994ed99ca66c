import { useTranslation } from "react-i18next";

import { LANGUAGES, isLanguage, setLanguage } from "./index";

const NAMES: Record<string, string> = { "pt-BR": "Português", en: "English" };

/** The language of the app (and of the API's messages), remembered on this device. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language">
      <span className="visually-hidden">{t("language")}</span>
      <select
        value={i18n.language}
        onChange={(event) => {
          if (isLanguage(event.target.value)) {
            void setLanguage(event.target.value);
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
