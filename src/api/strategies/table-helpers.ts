// Shared pieces of `kubectl get` rows: ages as upstream's HumanDuration, label and selector strings, container cells.
import type { LabelSelector } from 'kubernetes-types/meta/v1';
import type { ColumnDefinition, KObject } from '../types';

/** Upstream duration.HumanDuration: ~2-3 significant figures ("45s", "3m20s", "5h4m", "2d3h", "400d", "3y20d"). */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    const y = Math.trunc(hours / 24 / 365);
    return dy === 0 ? `${y}y` : `${y}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** Time since an RFC 3339 timestamp as HumanDuration, or "<unknown>" when unset (upstream translateTimestampSince). */
export function since(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

/** The AGE cell of an object. */
export function age(obj: KObject, now: number): string {
  return since(obj.metadata.creationTimestamp, now);
}

/** The Age column as upstream declares it (a string column placed where each kind puts it). */
export const AGE: ColumnDefinition = {
  name: 'Age',
  type: 'string',
  priority: 0,
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.',
};

/** Columns of upstream's default table for kinds without a printer: NAME, then CREATED AT as a raw timestamp. */
export const CREATED_AT_COLUMNS: ColumnDefinition[] = [{ ...AGE, name: 'Created At', type: 'date' }];

/** The row of the default table: the creation timestamp as stored. */
export function createdAtRow(obj: KObject): unknown[] {
  return [obj.metadata.creationTimestamp ?? ''];
}

/** A column, concisely. */
export function col(name: string, description: string, type: ColumnDefinition['type'] = 'string', priority = 0): ColumnDefinition {
  return { name, type, priority, description };
}

/** `k=v` pairs sorted, or "<none>" (upstream labels.FormatLabels). */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const s = Object.entries(labels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .sort()
    .join(',');
  return s || '<none>';
}

/** The selector string as upstream's labels.Selector.String(): requirements sorted by key, "" when empty. */
export function selectorString(sel: LabelSelector | undefined): string {
  if (!sel) return '';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In'
        ? `${e.key} in (${values})`
        : e.operator === 'NotIn'
          ? `${e.key} notin (${values})`
          : e.operator === 'Exists'
            ? e.key
            : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  return reqs
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((r) => r.text)
    .join(',');
}

/** upstream metav1.FormatLabelSelector: the selector string, "<none>" when empty. */
export function formatLabelSelector(sel: LabelSelector | undefined): string {
  return selectorString(sel) || '<none>';
}

/** Container names and images joined by commas (upstream layoutContainerCells). */
export function containerCells(containers: { name?: string; image?: string }[] | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}

/** Joins at most `max` items and says how many more (upstream listWithMoreString). */
export function listWithMore(items: string[], max: number, empty: string): string {
  const shown = items.slice(0, max).join(',');
  if (items.length > max) return `${shown} + ${items.length - max} more...`;
  return shown || empty;
}

/** Distinct load-balancer IPs or hostnames, sorted, clipped to 16 bytes unless wide (upstream loadBalancerStatusStringer). */
export function loadBalancerString(ingress: { ip?: string; hostname?: string }[] | undefined, wide: boolean): string {
  const set = new Set<string>();
  for (const i of ingress ?? []) {
    if (i.ip) set.add(i.ip);
    else if (i.hostname) set.add(i.hostname);
  }
  const r = [...set].sort().join(',');
  return !wide && r.length > 16 ? `${r.slice(0, 13)}...` : r;
}
