// Loads the definitions.json written by scripts/gen-openapi.ts, once and only when first needed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Definitions } from './spec';

/** The file name of the generated definitions inside the OpenAPI directory. */
export const DEFINITIONS_FILE = 'definitions.json';

/** The OpenAPI directory: $TUGBOAT_OPENAPI_DIR, else `fallback`, by default dist/openapi beside the compiled dist/src. */
export function openapiDir(fallback = path.join(__dirname, '..', '..', '..', 'openapi')): string {
  return process.env.TUGBOAT_OPENAPI_DIR || fallback;
}

let loaded: Definitions | undefined;

/** The generated definitions, read and parsed on the first call (a few MB, so never at import time). */
export function loadDefinitions(): Definitions {
  if (!loaded) {
    const file = path.join(openapiDir(), DEFINITIONS_FILE);
    if (!fs.existsSync(file)) throw new Error(`OpenAPI definitions not found at ${file}; run npm run build`);
    loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as Definitions;
  }
  return loaded;
}
