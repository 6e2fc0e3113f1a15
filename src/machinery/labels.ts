// Label selectors: the string form (`a=b,c!=d,e in (f,g),!h`) and metav1.LabelSelector, both compiled to requirements.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import { badRequest } from './errors';

/** One requirement of a selector. */
export interface Requirement {
  key: string;
  op: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values: string[];
}

/** A compiled selector; empty matches everything. */
export type Selector = Requirement[];

/** True when every requirement holds for `labels`. */
export function matchesLabels(sel: Selector, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'In':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(v)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      case 'Gt':
      case 'Lt': {
        if (!has || !/^-?\d+$/.test(v)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        if (r.op === 'Gt' ? !(n > bound) : !(n < bound)) return false;
      }
    }
  }
  return true;
}

const TOKEN = /\s*(!=|==|=|!|,|\(|\)|[^\s!=,()]+)\s*/y;

function tokenize(s: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < s.length) {
    const m = TOKEN.exec(s);
    if (!m) break;
    out.push(m[1]);
  }
  return out;
}

/** Parses the string form used in `?labelSelector=`; bad syntax is a 400 as upstream. */
export function parseLabelSelector(s: string): Selector {
  const toks = tokenize(s.trim());
  const sel: Selector = [];
  let i = 0;
  const fail = (why: string): never => {
    throw badRequest(`unable to parse requirement: ${why}`);
  };
  const ident = () => {
    const t = toks[i++];
    if (t === undefined || ['!=', '==', '=', '!', ',', '(', ')'].includes(t)) fail(`found '${t ?? ''}', expected: identifier`);
    return t;
  };
  while (i < toks.length) {
    if (toks[i] === '!') {
      i++;
      sel.push({ key: ident(), op: 'DoesNotExist', values: [] });
    } else {
      const key = ident();
      const op = toks[i];
      if (op === undefined || op === ',') sel.push({ key, op: 'Exists', values: [] });
      else if (op === '=' || op === '==' || op === '!=') {
        i++;
        const v = toks[i] !== undefined && toks[i] !== ',' ? toks[i++] : '';
        sel.push({ key, op: op === '!=' ? 'NotIn' : 'In', values: [v] });
      } else if (op === 'in' || op === 'notin') {
        i++;
        if (toks[i++] !== '(') fail(`found '${toks[i - 1] ?? ''}', expected: '('`);
        const values: string[] = [];
        while (toks[i] !== ')') {
          if (toks[i] === undefined) fail("found '', expected: ')'");
          if (toks[i] === ',') {
            i++;
            continue;
          }
          values.push(toks[i++]);
        }
        i++;
        sel.push({ key, op: op === 'in' ? 'In' : 'NotIn', values });
      } else if (op.startsWith('>') || op.startsWith('<')) {
        fail(`unsupported operator '${op}'`);
      } else fail(`found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    if (i < toks.length) {
      if (toks[i] !== ',') fail(`found '${toks[i]}', expected: ','`);
      i++;
    }
  }
  return sel;
}

/** Compiles a metav1.LabelSelector (matchLabels + matchExpressions). */
export function labelSelectorFromObject(ls: LabelSelector | undefined): Selector {
  if (!ls) return [];
  const sel: Selector = Object.entries(ls.matchLabels ?? {}).map(([key, v]) => ({ key, op: 'In' as const, values: [v] }));
  for (const e of ls.matchExpressions ?? []) {
    sel.push({ key: e.key, op: e.operator as Requirement['op'], values: e.values ?? [] });
  }
  return sel;
}

/** The string form of a selector, as put in scale.status.selector. */
export function formatSelector(sel: Selector): string {
  return sel
    .map((r) => {
      switch (r.op) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
        default:
          return `${r.key} ${r.op === 'Gt' ? '>' : '<'} ${r.values[0]}`;
      }
    })
    .join(',');
}
