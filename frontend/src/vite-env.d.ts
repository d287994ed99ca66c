/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The gateway's base URL, e.g. http://127.0.0.1:5000. Empty string: same origin. */
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
