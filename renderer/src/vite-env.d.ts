/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** package.json's version, injected by vite.config.ts. */
  readonly VITE_ONEMAP_VERSION?: string;
}
