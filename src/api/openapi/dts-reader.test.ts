// Tests for the .d.ts reader: every construct kubernetes-types uses, and doc comments as upstream wrote them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readDtsModule } from './dts-reader';

const text = `import { ObjectMeta } from "../meta/v1";
/** Thing is a test kind. */
export interface Thing {
    apiVersion?: "things.example.io/v1";
    /**
     * First paragraph.
     *
     * \tindented * code
     */
    metadata?: ObjectMeta;
    port: number | string;
    labels?: {
        [name: string]: string;
    };
    items: Array<Part>;
    readonly count?: number;
}
export interface Part {
}
/** Size is a string. */
export type Size = string;
`;

test('reads interfaces, aliases, property types and required markers', () => {
  const [thing, part, size] = readDtsModule('things/v1', text);
  assert.equal(thing.name, 'Thing');
  assert.equal(thing.description, 'Thing is a test kind.');
  const byName = Object.fromEntries(thing.properties!.map((p) => [p.name, p]));
  assert.deepEqual(byName.apiVersion.type, { kind: 'literal', value: 'things.example.io/v1' });
  assert.deepEqual(byName.metadata.type, { kind: 'ref', module: 'meta/v1', name: 'ObjectMeta' });
  assert.deepEqual(byName.port.type, { kind: 'intOrString' });
  assert.deepEqual(byName.labels.type, { kind: 'map', values: { kind: 'string' } });
  assert.deepEqual(byName.items.type, { kind: 'array', items: { kind: 'ref', module: 'things/v1', name: 'Part' } });
  assert.deepEqual(byName.count.type, { kind: 'number' });
  assert.deepEqual(thing.properties!.filter((p) => !p.optional).map((p) => p.name), ['port', 'items']);
  assert.deepEqual(part.properties, []);
  assert.deepEqual(size, { name: 'Size', description: 'Size is a string.', alias: { kind: 'string' } });
});

test('keeps paragraphs and indentation of multi-line doc comments', () => {
  const metadata = readDtsModule('things/v1', text)[0].properties!.find((p) => p.name === 'metadata')!;
  assert.equal(metadata.description, 'First paragraph.\n\n\tindented * code');
});

test('refuses types it cannot map', () => {
  assert.throws(() => readDtsModule('x/v1', 'export interface X { a?: boolean | string; }'), /X.a: unsupported type/);
});
