// Indexed Jobs: completion indexes of pods, the completedIndexes string ("1,3-5"), pending indexes, per-index pod naming and env.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';

/** Annotation and label with a pod's completion index. */
export const JOB_COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
/** The env var containers of Indexed Jobs read their index from. */
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
// names.MaxGeneratedNameLength: 63 minus the 5 random characters of generateName.
const MAX_GENERATED_NAME_LENGTH = 58;

/** The completion index a pod's annotation gives, or -1 when it has none or a malformed one. */
export function completionIndex(pod: KObject): number {
  const v = pod.metadata.annotations?.[JOB_COMPLETION_INDEX];
  if (v === undefined || !/^\d+$/.test(v)) return -1;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : -1;
}

/** upstream parseIndexesFromString: the indexes below `completions` in a "1,3-5" list; malformed parts are skipped. */
export function parseIndexes(s: string | undefined, completions: number): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    if (!part) continue;
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) continue;
    const first = Number(m[1]);
    const last = Math.min(m[2] === undefined ? first : Number(m[2]), completions - 1);
    for (let i = first; i <= last; i++) out.add(i);
  }
  return out;
}

/** upstream orderedIntervals.String: the "1,3-5" form of a set of indexes, a range for runs of three or more ("7,8" for two). */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? `${sorted[i]}${j === i + 1 ? ',' : '-'}${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return parts.join(',');
}

/** upstream firstPendingIndexes: the lowest `count` indexes below `completions` that are neither done nor taken. */
export function firstPendingIndexes(count: number, completions: number, succeeded: Set<number>, taken: Set<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) if (!succeeded.has(i) && !taken.has(i)) out.push(i);
  return out;
}

/** upstream podGenerateNameWithIndex: "<job>-<index>-", the job name cut so the random suffix still fits. */
export function generateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}

/** upstream addCompletionIndexEnvVariables: JOB_COMPLETION_INDEX from the annotation, in every container (mutates template). */
export function addCompletionIndexEnv(template: PodTemplateSpec): void {
  const spec = template.spec;
  if (!spec) return;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.env ?? []).some((e) => e.name === JOB_COMPLETION_INDEX_ENV)) continue;
    (c.env ??= []).push({ name: JOB_COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${JOB_COMPLETION_INDEX}']` } } });
  }
}

/** The template of the pod for one index: its annotation, label and hostname "<job>-<index>" (mutates template). */
export function setCompletionIndex(template: PodTemplateSpec, jobName: string, index: number): void {
  const meta = (template.metadata ??= {});
  (meta.annotations ??= {})[JOB_COMPLETION_INDEX] = String(index);
  (meta.labels ??= {})[JOB_COMPLETION_INDEX] = String(index);
  if (template.spec) template.spec.hostname = `${jobName}-${index}`;
}
