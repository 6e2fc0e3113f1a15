// fields.json agrees with the served schema wherever both know a field (upstream-definition.test.ts checks kind coverage).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaNode } from '../schema';
import { generateDefinitions } from '../openapi/generate';
import { schemaLookupFrom } from '../openapi/schema-lookup';
import { FIELDS } from './fields';
import { SCALAR_TYPES } from './table';

const lookup = schemaLookupFrom(generateDefinitions());
const JSON_TYPE: Record<string, SchemaNode['type']> = { string: 'string', bytes: 'string', bool: 'boolean', int32: 'integer', int64: 'integer' };
const listWrappers = new Set(FIELDS.listWrappers);

// Fields newer than the schema's kubernetes-types version are in the table only; those are not compared.
test('each field the schema also has agrees on its type', () => {
  const problems: string[] = [];
  let compared = 0;
  for (const [message, fields] of Object.entries(FIELDS.messages)) {
    const def = lookup.definition(message);
    if (!def) continue;
    for (const [name, type, flag] of Object.values(fields)) {
      const prop = def.properties?.[name];
      if (flag === 'inline' || !prop) continue;
      compared++;
      const base = type.replace(/^\[\]|^map\[[^\]]*\]/, '');
      const node = type.startsWith('[]') ? prop.items : type.startsWith('map[') ? prop.additionalProperties : prop;
      const where = `${message}.${name}`;
      if (listWrappers.has(base)) {
        if ((node as SchemaNode).type !== 'array') problems.push(`${where}: ${base} is not an array in the schema`);
      } else if (SCALAR_TYPES.has(base)) {
        if (typeof node !== 'object' || node.type !== JSON_TYPE[base]) problems.push(`${where}: ${type} but the schema says ${JSON.stringify(node)}`);
        else if ((base === 'bytes') !== (node.format === 'byte')) problems.push(`${where}: ${type} but the schema format is ${node.format}`);
      } else if (typeof node !== 'object' || (node.name !== base && lookup.definition(base))) {
        problems.push(`${where}: ${type} but the schema has ${typeof node === 'object' ? node.name : node}`);
      }
    }
  }
  assert.deepEqual(problems, []);
  assert.ok(compared > 1000, `only ${compared} fields compared`);
});

test('the inline fields point at messages the table has', () => {
  for (const [message, fields] of Object.entries(FIELDS.messages)) {
    for (const [name, type, flag] of Object.values(fields)) {
      if (flag === 'inline') assert.ok(FIELDS.messages[type], `${message}.${name} inlines ${type}`);
    }
  }
});
