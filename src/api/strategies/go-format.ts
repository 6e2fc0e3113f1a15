// Renders values the way Go's %#v prints them in upstream field errors (maps, selectors, intstr), so messages match kubectl's.
import type { LabelSelector } from 'kubernetes-types/meta/v1';

/** Go %q of a string (JSON quoting matches it for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** `map[string]string{"a":"b"}` with sorted keys, or `map[string]string(nil)`. */
export function goStringMap(m: Record<string, string> | undefined | null): string {
  if (!m) return 'map[string]string(nil)';
  const body = Object.keys(m)
    .sort()
    .map((k) => `${goQuote(k)}:${goQuote(String(m[k]))}`)
    .join(', ');
  return `map[string]string{${body}}`;
}

/** `[]string{"a", "b"}` or `[]string(nil)`. */
export function goStringSlice(list: string[] | undefined | null): string {
  if (!list) return '[]string(nil)';
  return `[]string{${list.map(goQuote).join(', ')}}`;
}

/** A metav1.LabelSelector as `v1.LabelSelector{MatchLabels:..., MatchExpressions:...}`. */
export function goLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return 'null';
  const exprs = sel.matchExpressions
    ? `[]v1.LabelSelectorRequirement{${sel.matchExpressions
        .map((e) => `v1.LabelSelectorRequirement{Key:${goQuote(e.key ?? '')}, Operator:${goQuote(e.operator ?? '')}, Values:${goStringSlice(e.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(sel.matchLabels)}, MatchExpressions:${exprs}}`;
}

/** An intstr.IntOrString value (a JSON number or string) as `intstr.IntOrString{Type:0, IntVal:1, StrVal:""}`. */
export function goIntOrString(v: number | string | undefined | null): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  return `intstr.IntOrString{Type:0, IntVal:${v ?? 0}, StrVal:""}`;
}
