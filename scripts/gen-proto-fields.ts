// By hand, not in the build: reduces upstream's generated.proto files and Go struct tags to src/api/protobuf/fields.json.
//
//   node dist/scripts/gen-proto-fields.js <kubernetes/api git dir> <kubernetes/apimachinery git dir> <ref> [out]
//
// e.g. after the `fetch` tool brought both repositories to /work/.mirror:
//   node dist/scripts/gen-proto-fields.js /work/.mirror/kubernetes+api/repo /work/.mirror/kubernetes+apimachinery/repo v0.32.13
// Both repositories tag the same release with the same v0.x.y name; only `git show` and `git ls-tree` are run.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SPECIAL_MESSAGES } from '../src/api/protobuf/special';
import { FieldEntry, FieldTable, SCALAR_TYPES } from '../src/api/protobuf/table';

/** The packages read: the served groups, the review APIs kubectl sends, and the apimachinery types they use. */
export const PACKAGES: ['api' | 'apimachinery', string][] = [
  ...['core/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking/v1', 'policy/v1', 'rbac/v1', 'storage/v1',
    'coordination/v1', 'discovery/v1', 'events/v1', 'scheduling/v1', 'authentication/v1', 'authorization/v1']
    .map((dir): ['api', string] => ['api', dir]),
  ['apimachinery', 'pkg/apis/meta/v1'],
];

/** One field of a .proto message, types already resolved to definition names. */
export interface ProtoField {
  number: number;
  name: string;
  /** A scalar, a definition name, `[]T` or `map[K]V`. */
  type: string;
}

/** One .proto message. */
export interface ProtoMessage {
  name: string;
  fields: ProtoField[];
  /** Marked `+protobuf.nullable=true`: a named Go slice wrapped in a message with `repeated T items = 1`. */
  listWrapper: boolean;
}

/** What a Go struct tag says about the field with a given protobuf number. */
export interface GoField {
  /** The tag's `name=`, which must be the .proto field's name (some embedded fields leave it out). */
  protoName?: string;
  jsonName: string;
  inline: boolean;
  /** Non-pointer and `omitempty`: the JSON encoder drops the zero value. */
  omitZero: boolean;
  /** `json:"-"`. */
  skip: boolean;
}

/** io.k8s-style definition prefix of a proto package: k8s.io.api.core.v1 → io.k8s.api.core.v1. */
export const definitionPrefix = (protoPackage: string): string => protoPackage.replace(/^k8s\.io\./, 'io.k8s.');

/** Parses go-to-protobuf's output (one declaration a line, no nesting, no options). */
export function parseProto(text: string): ProtoMessage[] {
  const pkg = /^package\s+([\w.]+);/m.exec(text)?.[1];
  if (!pkg) throw new Error('no package line');
  const prefix = definitionPrefix(pkg);
  const ref = (t: string): string => {
    if (SCALAR_TYPES.has(t)) return t;
    if (/^(double|float|u?int|s?fixed|sint)/.test(t)) throw new Error(`scalar type ${t} is not decoded`);
    return t.startsWith('.') ? definitionPrefix(t.slice(1)) : `${prefix}.${t}`;
  };
  const messages: ProtoMessage[] = [];
  let current: ProtoMessage | undefined;
  let comments: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('//')) {
      comments.push(line);
      continue;
    }
    const open = /^message\s+(\w+)\s*\{$/.exec(line);
    if (open) {
      if (current) throw new Error(`nested message ${open[1]} in ${current.name}`);
      current = { name: `${prefix}.${open[1]}`, fields: [], listWrapper: comments.some((c) => c.includes('+protobuf.nullable=true')) };
      messages.push(current);
    } else if (line === '}') {
      current = undefined;
    } else if (current && line) {
      const m = /^(?:(optional|repeated|required)\s+)?(map<\s*(\S+)\s*,\s*(\S+)\s*>|\S+)\s+(\w+)\s*=\s*(\d+)\s*;$/.exec(line);
      if (!m) throw new Error(`${current.name}: cannot read "${line}"`);
      const [, label, type, key, value, name, num] = m;
      const resolved = key ? `map[${ref(key)}]${ref(value)}` : label === 'repeated' ? `[]${ref(type)}` : ref(type);
      current.fields.push({ number: Number(num), name, type: resolved });
    }
    if (line) comments = [];
  }
  return messages;
}

/** Reads the protobuf-tagged fields of every top-level struct in a Go file, by struct name and field number. */
export function parseGoStructs(text: string): Map<string, Map<number, GoField>> {
  const structs = new Map<string, Map<number, GoField>>();
  let current: Map<number, GoField> | undefined;
  for (const line of text.split('\n')) {
    const open = /^type\s+(\w+)\s+struct\s*\{/.exec(line);
    if (open) {
      current = new Map();
      structs.set(open[1], current);
      continue;
    }
    if (/^\}/.test(line)) current = undefined;
    const m = current && /^\t(\S+)(?:\s+(\S+))?\s+`([^`]*)`/.exec(line);
    if (!current || !m) continue;
    const [, first, second, tag] = m;
    const tags = Object.fromEntries([...tag.matchAll(/(\w+):"([^"]*)"/g)].map((t) => [t[1], t[2]]));
    if (!tags.protobuf || tags.protobuf === '-') continue;
    const parts = tags.protobuf.split(',');
    const number = Number(parts[1]);
    const goType = second ?? first;
    const goName = second ? first : first.replace(/^\*/, '').split('.').pop()!;
    const [jsonName, ...opts] = (tags.json ?? '').split(',');
    const inline = opts.includes('inline') || (!second && !jsonName);
    current.set(number, {
      protoName: parts.find((p) => p.startsWith('name='))?.slice('name='.length),
      jsonName: jsonName || goName,
      inline,
      omitZero: opts.includes('omitempty') && !goType.startsWith('*'),
      skip: jsonName === '-',
    });
  }
  return structs;
}

/** Builds the table; throws on any reference to a message that is neither in the table nor special. */
export function buildTable(messages: ProtoMessage[], goStructs: Map<string, Map<number, GoField>>, warn: (m: string) => void): FieldTable['messages'] {
  const out: FieldTable['messages'] = {};
  for (const msg of messages) {
    if (SPECIAL_MESSAGES.has(msg.name)) continue;
    const go = goStructs.get(msg.name);
    if (!go && !msg.listWrapper) warn(`${msg.name}: no Go struct; JSON names taken from the .proto`);
    const fields: Record<string, FieldEntry> = {};
    for (const f of msg.fields) {
      const g = go?.get(f.number);
      if (go && !g) warn(`${msg.name}.${f.name} = ${f.number}: no Go field with that number; JSON name taken from the .proto`);
      if (g?.protoName && g.protoName !== f.name) throw new Error(`${msg.name}: field ${f.number} is ${f.name} in the .proto but ${g.protoName} in Go`);
      if (g?.skip) continue;
      const entry: FieldEntry = [g?.jsonName ?? f.name, f.type];
      if (g?.inline) entry.push('inline');
      else if (g?.omitZero && SCALAR_TYPES.has(f.type)) entry.push('omitempty');
      fields[f.number] = entry;
    }
    out[msg.name] = fields;
  }
  for (const [name, fields] of Object.entries(out)) {
    for (const [, type] of Object.values(fields)) {
      const t = type.replace(/^\[\]|^map\[[^\]]*\]/, '');
      if (!SCALAR_TYPES.has(t) && !out[t] && !SPECIAL_MESSAGES.has(t)) throw new Error(`${name} refers to ${t}, which is not read`);
    }
  }
  return out;
}

/** JSON with one line per message, so a regenerated table diffs by message. */
export function formatTable(table: FieldTable): string {
  const messages = Object.keys(table.messages).sort().map((name) => `    ${JSON.stringify(name)}: ${JSON.stringify(table.messages[name])}`);
  const head = `  "source": ${JSON.stringify(table.source)},\n  "listWrappers": ${JSON.stringify(table.listWrappers)},\n`;
  return `{\n${head}  "messages": {\n${messages.join(',\n')}\n  }\n}\n`;
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

function main(): void {
  const [apiDir, machineryDir, ref, out = path.join('src', 'api', 'protobuf', 'fields.json')] = process.argv.slice(2);
  if (!apiDir || !machineryDir || !ref) throw new Error('usage: gen-proto-fields <kubernetes/api dir> <kubernetes/apimachinery dir> <ref> [out]');
  const dirs = { api: apiDir, apimachinery: machineryDir };
  const messages: ProtoMessage[] = [];
  const goStructs = new Map<string, Map<number, GoField>>();
  for (const [repo, dir] of PACKAGES) {
    const proto = parseProto(git(dirs[repo], 'show', `${ref}:${dir}/generated.proto`));
    messages.push(...proto);
    const prefix = proto[0].name.slice(0, proto[0].name.lastIndexOf('.'));
    const goFiles = git(dirs[repo], 'ls-tree', '--name-only', ref, `${dir}/`).split('\n')
      .filter((f) => f.endsWith('.go') && !f.endsWith('_test.go') && !/\/(generated\.pb|zz_generated[^/]*)\.go$/.test(f));
    for (const file of goFiles) {
      for (const [name, fields] of parseGoStructs(git(dirs[repo], 'show', `${ref}:${file}`))) goStructs.set(`${prefix}.${name}`, fields);
    }
  }
  const commits = Object.entries(dirs).map(([repo, dir]) => `kubernetes/${repo}@${git(dir, 'rev-parse', `${ref}^{commit}`).trim().slice(0, 12)}`);
  const table: FieldTable = {
    source: `kubernetes/api and kubernetes/apimachinery ${ref} (${commits.join(', ')}): field numbers and types from generated.proto, `
      + 'JSON names, inline and omitempty from the Go struct tags; written by scripts/gen-proto-fields.ts, do not edit',
    listWrappers: messages.filter((m) => m.listWrapper).map((m) => m.name).sort(),
    messages: buildTable(messages, goStructs, (m) => console.error(`gen-proto-fields: ${m}`)),
  };
  fs.writeFileSync(out, formatTable(table));
  console.log(`gen-proto-fields: ${Object.keys(table.messages).length} messages → ${out}`);
}

if (require.main === module) main();
