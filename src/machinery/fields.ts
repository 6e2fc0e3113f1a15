// Field selectors (`metadata.name=x,status.phase!=Running`): parsing and matching against a kind's selectable fields.
import { badRequest } from './errors';

/** One term of a field selector. */
export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

/** Parses `?fieldSelector=`; only =, == and != exist, as upstream. */
export function parseFieldSelector(s: string): FieldRequirement[] {
  if (!s.trim()) return [];
  return splitTerms(s).map((term) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${term}'`);
    return { field: m[1].trim(), op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3].trim()) };
  });
}

// Commas may be escaped with a backslash inside values.
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === ',') {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescape(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/** Checks that every field is selectable for the kind; upstream answers 400 with this wording. */
export function checkSelectable(reqs: FieldRequirement[], allowed: Set<string>): void {
  for (const r of reqs) {
    if (!allowed.has(r.field)) throw badRequest(`field label not supported: ${r.field}`);
  }
}

/** True when the object's selectable fields satisfy every requirement. */
export function matchesFields(reqs: FieldRequirement[], fields: Record<string, string>): boolean {
  for (const r of reqs) {
    const v = fields[r.field] ?? '';
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
