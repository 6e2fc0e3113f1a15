// scripts/gen-proto-fields.ts on small inputs (here because npm test runs dist/src and dist/test only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTable, parseGoStructs, parseProto } from '../../../scripts/gen-proto-fields';

const PROTO = `
syntax = "proto2";
package k8s.io.api.example.v1;
import "k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto";

// Widget is an example.
// +k8s:deepcopy-gen:interfaces=k8s.io/apimachinery/pkg/runtime.Object
message Widget {
  optional .k8s.io.apimachinery.pkg.apis.meta.v1.Time created = 1;

  optional WidgetSource source = 2;

  optional int32 replicas = 3;

  optional string mode = 4;

  repeated int64 sizes = 5;

  map<string, bytes> blobs = 6;

  optional string uID = 7;

  optional Tags tags = 8;
}

message WidgetSource {
  optional string path = 1;
}

// +protobuf.nullable=true
// +protobuf.options.(gogoproto.goproto_stringer)=false
message Tags {
  repeated string items = 1;
}
`;

const GO = `
type Widget struct {
	// a comment with {braces}
	Created metav1.Time \`json:"created,omitempty" protobuf:"bytes,1,opt,name=created"\`
	WidgetSource \`json:",inline" protobuf:"bytes,2,opt,name=source"\`
	Replicas *int32 \`json:"replicas,omitempty" protobuf:"varint,3,opt,name=replicas"\`
	Mode string \`json:"mode,omitempty" protobuf:"bytes,4,opt,name=mode,casttype=Mode"\`
	Sizes []int64 \`json:"sizes,omitempty" protobuf:"varint,5,rep,name=sizes"\`
	Blobs map[string][]byte \`json:"blobs,omitempty" protobuf:"bytes,6,rep,name=blobs"\`
	UID types.UID \`json:"uid" protobuf:"bytes,7,opt,name=uID,casttype=k8s.io/apimachinery/pkg/types.UID"\`
	Tags Tags \`json:"tags,omitempty" protobuf:"bytes,8,opt,name=tags"\`
	Internal string \`json:"-" protobuf:"-"\`
}

type WidgetSource struct {
	Path string \`json:"path" protobuf:"bytes,1,opt,name=path"\`
}
`;

test('proto types resolve to definition names; Go tags give JSON names, inline and omitempty', () => {
  const messages = parseProto(PROTO);
  assert.deepEqual(messages.map((m) => [m.name, m.listWrapper]), [
    ['io.k8s.api.example.v1.Widget', false],
    ['io.k8s.api.example.v1.WidgetSource', false],
    ['io.k8s.api.example.v1.Tags', true],
  ]);
  const go = new Map([...parseGoStructs(GO)].map(([name, fields]) => [`io.k8s.api.example.v1.${name}`, fields]));
  const warnings: string[] = [];
  const table = buildTable(messages, go, (w) => warnings.push(w));
  assert.deepEqual(table['io.k8s.api.example.v1.Widget'], {
    1: ['created', 'io.k8s.apimachinery.pkg.apis.meta.v1.Time'],
    2: ['WidgetSource', 'io.k8s.api.example.v1.WidgetSource', 'inline'],
    3: ['replicas', 'int32'],
    4: ['mode', 'string', 'omitempty'],
    5: ['sizes', '[]int64'],
    6: ['blobs', 'map[string]bytes'],
    7: ['uid', 'string'],
    8: ['tags', 'io.k8s.api.example.v1.Tags'],
  });
  assert.deepEqual(table['io.k8s.api.example.v1.WidgetSource'], { 1: ['path', 'string'] });
  assert.deepEqual(warnings, []);
});

test('unknown references and unreadable lines stop the generator', () => {
  assert.throws(() => buildTable(parseProto('package k8s.io.api.x.v1;\nmessage A {\n  optional B b = 1;\n}\n'), new Map(), () => {}), /refers to io.k8s.api.x.v1.B/);
  assert.throws(() => parseProto('package k8s.io.api.x.v1;\nmessage A {\n  optional double d = 1;\n}\n'), /double is not decoded/);
  assert.throws(() => parseProto('package k8s.io.api.x.v1;\nmessage A {\n  oneof x {\n}\n'), /cannot read/);
  const renumbered = new Map([['io.k8s.api.x.v1.A', parseGoStructs('type A struct {\n\tB string `json:"b" protobuf:"bytes,1,opt,name=c"`\n}\n').get('A')!]]);
  assert.throws(() => buildTable(parseProto('package k8s.io.api.x.v1;\nmessage A {\n  optional string b = 1;\n}\n'), renumbered, () => {}), /field 1 is b in the .proto but c in Go/);
});
