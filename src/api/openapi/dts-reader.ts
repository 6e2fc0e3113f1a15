// Reads one kubernetes-types .d.ts module into a plain model: interfaces, type aliases, property types and doc text.
import * as ts from 'typescript';
import * as path from 'node:path';

/** A property type as kubernetes-types writes it; `ref` names an interface or alias of another (or the same) module. */
export type DtsType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  | { kind: 'literal'; value: string }
  | { kind: 'intOrString' }
  | { kind: 'ref'; module: string; name: string }
  | { kind: 'array'; items: DtsType }
  | { kind: 'map'; values: DtsType };

/** One property of an interface. */
export interface DtsProperty {
  name: string;
  type: DtsType;
  optional: boolean;
  description?: string;
}

/** An interface (a struct upstream) or a type alias (Quantity, Time…). */
export interface DtsDeclaration {
  name: string;
  description?: string;
  /** Present for interfaces; an empty list for opaque ones such as RawExtension. */
  properties?: DtsProperty[];
  /** Present for type aliases. */
  alias?: DtsType;
}

/** Parses the text of module `modulePath` (e.g. "apps/v1"); throws on a construct it does not understand. */
export function readDtsModule(modulePath: string, text: string): DtsDeclaration[] {
  const file = ts.createSourceFile(`${modulePath}.d.ts`, text, ts.ScriptTarget.ES2022, false);
  const imports = new Map<string, string>();
  const out: DtsDeclaration[] = [];
  const typeOf = (node: ts.TypeNode, where: string): DtsType => toDtsType(node, modulePath, imports, where);
  for (const st of file.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const target = path.posix.join(path.posix.dirname(modulePath), st.moduleSpecifier.text);
      const named = st.importClause?.namedBindings;
      if (named && ts.isNamedImports(named)) for (const el of named.elements) imports.set(el.name.text, target);
    } else if (ts.isInterfaceDeclaration(st)) {
      const properties: DtsProperty[] = [];
      for (const m of st.members) {
        if (!ts.isPropertySignature(m) || !m.type || !(ts.isIdentifier(m.name) || ts.isStringLiteral(m.name))) {
          throw new Error(`${modulePath}.${st.name.text}: unsupported member ${m.getText(file)}`);
        }
        const name = m.name.text;
        properties.push({ name, type: typeOf(m.type, `${st.name.text}.${name}`), optional: !!m.questionToken, description: docOf(text, m) });
      }
      out.push({ name: st.name.text, description: docOf(text, st), properties });
    } else if (ts.isTypeAliasDeclaration(st)) {
      out.push({ name: st.name.text, description: docOf(text, st), alias: typeOf(st.type, st.name.text) });
    }
  }
  return out;
}

function toDtsType(node: ts.TypeNode, modulePath: string, imports: Map<string, string>, where: string): DtsType {
  const recur = (n: ts.TypeNode) => toDtsType(n, modulePath, imports, where);
  switch (node.kind) {
    case ts.SyntaxKind.StringKeyword:
      return { kind: 'string' };
    case ts.SyntaxKind.NumberKeyword:
      return { kind: 'number' };
    case ts.SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' };
  }
  if (ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal)) return { kind: 'literal', value: node.literal.text };
  if (ts.isUnionTypeNode(node)) {
    const kinds = node.types.map((t) => t.kind).sort();
    if (kinds.length === 2 && kinds[0] === ts.SyntaxKind.NumberKeyword && kinds[1] === ts.SyntaxKind.StringKeyword) return { kind: 'intOrString' };
  }
  if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName)) {
    const name = node.typeName.text;
    if (name === 'Array' && node.typeArguments?.length === 1) return { kind: 'array', items: recur(node.typeArguments[0]) };
    if (!node.typeArguments) return { kind: 'ref', module: imports.get(name) ?? modulePath, name };
  }
  if (ts.isArrayTypeNode(node)) return { kind: 'array', items: recur(node.elementType) };
  if (ts.isTypeLiteralNode(node) && node.members.length === 1) {
    const sig = node.members[0];
    if (ts.isIndexSignatureDeclaration(sig) && sig.type) return { kind: 'map', values: recur(sig.type) };
  }
  throw new Error(`${modulePath} ${where}: unsupported type ${ts.SyntaxKind[node.kind]}`);
}

/** The text of the /** … *\/ block right before a node, without the comment markers. */
function docOf(text: string, node: ts.Node): string | undefined {
  const ranges = ts.getLeadingCommentRanges(text, node.pos);
  const last = ranges?.filter((r) => text.startsWith('/**', r.pos)).pop();
  if (!last) return undefined;
  const body = text.slice(last.pos + 3, last.end - 2);
  if (!body.includes('\n')) return body.trim();
  // Multi-line blocks put " * " before every line; blank lines keep a lone "*".
  const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  return lines.join('\n');
}
