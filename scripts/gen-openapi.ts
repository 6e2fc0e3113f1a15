// Build step: writes the OpenAPI definitions derived from kubernetes-types to dist/openapi/definitions.json.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateDefinitions } from '../src/api/openapi/generate';
import { DEFINITIONS_FILE, openapiDir } from '../src/api/openapi/definitions';

function main(): void {
  const started = Date.now();
  // Compiled to dist/scripts/, so ../openapi is dist/openapi: where the runtime loader looks by default.
  const outDir = process.argv[2] ?? openapiDir(path.join(__dirname, '..', 'openapi'));
  const defs = generateDefinitions();
  fs.mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, DEFINITIONS_FILE);
  fs.writeFileSync(file, JSON.stringify(defs));
  console.log(`gen-openapi: ${Object.keys(defs).length} definitions → ${file} (${Date.now() - started} ms)`);
}

main();
