/** The digest of openapi.yaml this console was built from (vite.config.ts). */
declare const __CONTRACT__: string;
