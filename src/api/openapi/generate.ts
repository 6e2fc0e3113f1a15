// Derives upstream-named OpenAPI v2 definitions from kubernetes-types' .d.ts files and the hand-kept upstream tables.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DtsDeclaration, DtsType, readDtsModule } from './dts-reader';
import { byteFields, int64Fields } from './formats';
import { atomicStructs, fieldExtensions, FieldExtensions, unions } from './patch-keys';
import { Definitions, GroupVersionKind, INT_OR_STRING, OpenAPISchema, refName, refTo } from './spec';

/** kubernetes-types modules we generate from: the served groups, the review APIs kubectl uses, and their dependencies. */
export const MODULES = [
  'meta/v1', 'runtime', 'api/resource', 'version',
  'core/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking/v1', 'policy/v1',
  'rbac/v1', 'storage/v1', 'coordination/v1', 'discovery/v1', 'events/v1', 'scheduling/v1',
  'authentication/v1', 'authorization/v1',
];

const APIMACHINERY: Record<string, string> = {
  'meta/v1': 'io.k8s.apimachinery.pkg.apis.meta.v1',
  runtime: 'io.k8s.apimachinery.pkg.runtime',
  'api/resource': 'io.k8s.apimachinery.pkg.api.resource',
  version: 'io.k8s.apimachinery.pkg.version',
};

/** The upstream package prefix of a kubernetes-types module: "apps/v1" → io.k8s.api.apps.v1. */
export function definitionPackage(module: string): string {
  return APIMACHINERY[module] ?? `io.k8s.api.${module.replace('/', '.')}`;
}

// Upstream's OpenAPISchemaFormat of the string-typed apimachinery types.
const aliasFormats: Record<string, string> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'date-time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'date-time',
};

/** Where the kubernetes-types package is installed. */
export const kubernetesTypesDir = (): string => path.dirname(require.resolve('kubernetes-types/package.json'));

/** Reads MODULES from a kubernetes-types directory; throws when a table names something that does not exist. */
export function generateDefinitions(typesDir = kubernetesTypesDir()): Definitions {
  const defs: Definitions = {};
  for (const module of MODULES) {
    const text = fs.readFileSync(path.join(typesDir, `${module}.d.ts`), 'utf8');
    for (const d of readDtsModule(module, text)) {
      const name = `${definitionPackage(module)}.${d.name}`;
      defs[name] = d.properties ? structDefinition(name, d) : aliasDefinition(name, d);
    }
  }
  defs[INT_OR_STRING] = {
    description:
      'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string',
    format: 'int-or-string',
  };
  checkTables(defs);
  checkRefs(defs);
  return sortKeys(defs) as Definitions;
}

function aliasDefinition(name: string, d: DtsDeclaration): OpenAPISchema {
  if (d.alias?.kind !== 'string') throw new Error(`${name}: only string aliases are known`);
  return { description: d.description, type: 'string', format: aliasFormats[name] };
}

function structDefinition(name: string, d: DtsDeclaration): OpenAPISchema {
  const props = d.properties ?? [];
  const out: OpenAPISchema = { description: d.description, type: 'object' };
  if (props.length) {
    out.properties = {};
    for (const p of props) {
      const s = typeSchema(p.type, name, p.name);
      out.properties[p.name] = { ...s, description: p.description, ...extensionsOf(fieldExtensions[name]?.[p.name]) };
    }
    const required = props.filter((p) => !p.optional).map((p) => p.name);
    if (required.length) out.required = required;
  }
  const gvk = groupVersionKind(d);
  if (gvk) out['x-kubernetes-group-version-kind'] = [gvk];
  if (atomicStructs.includes(name)) out['x-kubernetes-map-type'] = 'atomic';
  if (unions[name]) out['x-kubernetes-unions'] = unions[name];
  return out;
}

function typeSchema(t: DtsType, def: string, prop: string): OpenAPISchema {
  switch (t.kind) {
    case 'string':
      return byteFields[def]?.includes(prop) ? { type: 'string', format: 'byte' } : { type: 'string' };
    case 'literal':
      return { type: 'string' };
    case 'boolean':
      return { type: 'boolean' };
    case 'number':
      return { type: 'integer', format: int64Fields[def]?.includes(prop) ? 'int64' : 'int32' };
    case 'intOrString':
      return { $ref: refTo(INT_OR_STRING) };
    case 'ref':
      return { $ref: refTo(`${definitionPackage(t.module)}.${t.name}`) };
    case 'array':
      return { type: 'array', items: typeSchema(t.items, def, prop) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.values, def, prop) };
  }
}

function extensionsOf(e: FieldExtensions | undefined): OpenAPISchema {
  if (!e) return {};
  return {
    'x-kubernetes-patch-strategy': e.patchStrategy,
    'x-kubernetes-patch-merge-key': e.patchMergeKey,
    'x-kubernetes-list-type': e.listType,
    'x-kubernetes-list-map-keys': e.listMapKeys,
    'x-kubernetes-map-type': e.mapType,
  };
}

/** Top-level kinds (and their lists) carry literal apiVersion and kind types in kubernetes-types. */
function groupVersionKind(d: DtsDeclaration): GroupVersionKind | undefined {
  const apiVersion = d.properties?.find((p) => p.name === 'apiVersion')?.type;
  const kind = d.properties?.find((p) => p.name === 'kind')?.type;
  if (apiVersion?.kind !== 'literal' || kind?.kind !== 'literal') return undefined;
  const slash = apiVersion.value.indexOf('/');
  return { group: slash < 0 ? '' : apiVersion.value.slice(0, slash), version: apiVersion.value.slice(slash + 1), kind: kind.value };
}

function checkTables(defs: Definitions): void {
  const tables: [string, Record<string, readonly string[]>][] = [
    ['fieldExtensions', Object.fromEntries(Object.entries(fieldExtensions).map(([d, m]) => [d, Object.keys(m)]))],
    ['int64Fields', int64Fields],
    ['byteFields', byteFields],
  ];
  for (const [table, entries] of tables) {
    for (const [def, props] of Object.entries(entries)) {
      for (const p of props) if (!defs[def]?.properties?.[p]) throw new Error(`${table}: ${def}.${p} is not a generated property`);
    }
  }
  for (const def of [...atomicStructs, ...Object.keys(unions)]) if (!defs[def]) throw new Error(`${def} is not a generated definition`);
}

function checkRefs(defs: Definitions): void {
  const visit = (s: OpenAPISchema, where: string): void => {
    if (s.$ref && !defs[refName(s.$ref)]) throw new Error(`${where}: dangling reference ${s.$ref}`);
    if (s.items) visit(s.items, where);
    if (s.additionalProperties) visit(s.additionalProperties, where);
    for (const [k, p] of Object.entries(s.properties ?? {})) visit(p, `${where}.${k}`);
  };
  for (const [name, s] of Object.entries(defs)) visit(s, name);
}

/** Drops undefined values and orders keys, so the output is deterministic and diffs read well (upstream sorts too). */
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = sortKeys(x);
  }
  return out;
}
