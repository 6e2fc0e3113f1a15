// podFailurePolicy (upstream pod_failure_policy.go): which rule a failed pod matches, and whether it fails the Job, fails its index, counts or is ignored.
import type { PodFailurePolicy, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern } from 'kubernetes-types/batch/v1';
import type { ContainerStatus, PodCondition } from 'kubernetes-types/core/v1';
import type { Pod } from '../shared/types';

/** A rule's action (batch/v1 PodFailurePolicyAction). */
export type PodFailurePolicyAction = 'FailJob' | 'FailIndex' | 'Ignore' | 'Count';

/** What matching a failed pod against the policy says. */
export interface PolicyMatch {
  /** Set when a FailJob rule matched: the Job's failure message. */
  failJobMessage?: string;
  /** Whether the failure counts towards backoffLimit (false only for Ignore). */
  countFailed: boolean;
  /** The matched rule's action; undefined when no rule matched. */
  action?: PodFailurePolicyAction;
}

const NO_MATCH: PolicyMatch = { countFailed: true };

/** upstream matchPodFailurePolicy: the first rule (in order) the failed pod matches decides. */
export function matchPodFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): PolicyMatch {
  if (!policy) return NO_MATCH;
  const ns = pod.metadata.namespace;
  const name = pod.metadata.name;
  for (const [index, rule] of (policy.rules ?? []).entries()) {
    const action = rule.action as PodFailurePolicyAction;
    let failJobMessage: string | undefined;
    if (rule.onExitCodes) {
      const c = matchOnExitCodes(pod, rule.onExitCodes);
      if (!c) continue;
      failJobMessage = `Container ${c.name} for pod ${ns}/${name} failed with exit code ${c.state!.terminated!.exitCode} matching ${action} rule at index ${index}`;
    } else if (rule.onPodConditions) {
      const cond = matchOnPodConditions(pod, rule.onPodConditions);
      if (!cond) continue;
      failJobMessage = `Pod ${ns}/${name} has condition ${cond.type} matching ${action} rule at index ${index}`;
    } else continue;
    switch (action) {
      case 'Ignore':
        return { countFailed: false, action };
      case 'Count':
      case 'FailIndex':
        return { countFailed: true, action };
      case 'FailJob':
        return { failJobMessage, countFailed: true, action };
    }
  }
  return NO_MATCH;
}

/** upstream matchOnExitCodes: the first terminated, non-zero container (app containers, then init containers) the requirement matches. */
function matchOnExitCodes(pod: Pod, req: PodFailurePolicyOnExitCodesRequirement): ContainerStatus | undefined {
  const matching = (list: readonly ContainerStatus[] | undefined) =>
    (list ?? []).find((s) => {
      const code = s.state?.terminated?.exitCode;
      if (code === undefined || code === 0) return false;
      if (req.containerName !== undefined && req.containerName !== s.name) return false;
      if (req.operator === 'In') return req.values.includes(code);
      if (req.operator === 'NotIn') return !req.values.includes(code);
      return false;
    });
  return matching(pod.status?.containerStatuses) ?? matching(pod.status?.initContainerStatuses);
}

/** upstream matchOnPodConditions: the first pod condition with a pattern's type and status. */
function matchOnPodConditions(pod: Pod, patterns: readonly PodFailurePolicyOnPodConditionsPattern[]): PodCondition | undefined {
  return (pod.status?.conditions ?? []).find((c) => patterns.some((p) => p.type === c.type && p.status === c.status));
}
