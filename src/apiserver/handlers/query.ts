// Query parameters shared by resource handlers, validated as upstream validates them.
import { badRequest } from '../../machinery/errors';
import { parseFieldSelector } from '../../machinery/fields';
import { parseLabelSelector } from '../../machinery/labels';
import type { ListQuery } from '../registry/list';
import type { FieldValidation } from './context';

/** dryRun: only "All" exists. */
export function dryRunOf(q: URLSearchParams): boolean {
  const v = q.getAll('dryRun');
  for (const x of v) if (x !== 'All') throw badRequest(`Invalid dryRun value: ${x}; supported values: "All"`);
  return v.length > 0;
}

/** fieldValidation, defaulting to Warn as upstream. */
export function fieldValidationOf(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation') ?? 'Warn';
  if (v !== 'Strict' && v !== 'Warn' && v !== 'Ignore') {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${v}"`);
  }
  return v;
}

function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid ${name} parameter "${v}"`);
  return Number(v);
}

/** The list/watch query of a request in `namespace`. */
export function listQueryOf(q: URLSearchParams, namespace: string): ListQuery & { timeoutSeconds?: number } {
  const match = q.get('resourceVersionMatch') ?? undefined;
  if (match && match !== 'Exact' && match !== 'NotOlderThan') {
    throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  }
  const rv = q.get('resourceVersion') ?? undefined;
  if (match && !rv) throw badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
  return {
    namespace,
    labels: parseLabelSelector(q.get('labelSelector') ?? ''),
    fields: parseFieldSelector(q.get('fieldSelector') ?? ''),
    limit: intParam(q, 'limit'),
    continueToken: q.get('continue') || undefined,
    resourceVersion: rv,
    resourceVersionMatch: match,
    timeoutSeconds: intParam(q, 'timeoutSeconds'),
  };
}

/** gracePeriodSeconds from the query, when given. */
export function gracePeriodOf(q: URLSearchParams): number | undefined {
  return intParam(q, 'gracePeriodSeconds');
}
