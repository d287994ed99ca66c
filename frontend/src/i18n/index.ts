/**
 * The app's languages (i18next): pt-BR by default, en. Each part of the app keeps its texts
 * in a namespace of its own, `locales/<language>/<namespace>.json`, loaded here by name — a
 * new page adds its two files and calls `useTranslation("<namespace>")`.
 */
import i18next from "i18next";
import { initReactI18next } from "react-i18next";

import { requestLanguage } from "../api/client";

export const LANGUAGES = ["pt-BR", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "pt-BR";
const STORAGE_KEY = "pedidos.language";

const files = import.meta.glob<Record<string, unknown>>("./locales/*/*.json", {
  eager: true,
  import: "default",
});

/** { language: { namespace: texts } } from the files' paths. */
export function resourcesFrom(
  loaded: Record<string, Record<string, unknown>>,
): Record<string, Record<string, Record<string, unknown>>> {
  const resources: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, texts] of Object.entries(loaded)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (match) {
      const [, language, namespace] = match;
      (resources[language] ??= {})[namespace] = texts;
    }
  }
  return resources;
}

export function isLanguage(value: string | null | undefined): value is Language {
  return LANGUAGES.includes(value as Language);
}

function storedLanguage(): Language {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE; // storage blocked: the default
  }
}

function follow(language: string): void {
  // The API answers its messages in the same language (Accept-Language).
  requestLanguage.current = language;
  document.documentElement.lang = language;
}

const initial = storedLanguage();
void i18next.use(initReactI18next).init({
  resources: resourcesFrom(files),
  lng: initial,
  fallbackLng: DEFAULT_LANGUAGE,
  defaultNS: "common",
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
});
follow(initial);

/** Switch the app's language (remembered on this device). */
export async function setLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // storage blocked: this visit only
  }
  follow(language); // before the texts change: a request sent meanwhile asks in it already
  await i18next.changeLanguage(language);
}

export default i18next;
