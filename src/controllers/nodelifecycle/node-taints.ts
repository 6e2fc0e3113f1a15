// The port through which the node lifecycle controller changes node taints: read-modify-write with a retry on conflict.
import type { Taint } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Informer } from '../../client/informer';
import type { Client } from '../../client/types';
import { R } from '../../client/types';

const RETRIES = 5;
const codeOf = (e: unknown) => (e as { code?: number })?.code;

/**
 * Applies `change` to a node's taints (undefined from `change`: nothing to do). Starts from the cached node and
 * re-reads it from the API after a conflict, as upstream's SwapNodeControllerTaint does. Returns whether it wrote.
 */
export async function updateNodeTaints(client: Client, nodes: Informer<KObject>, name: string, change: (taints: Taint[] | undefined) => Taint[] | undefined): Promise<boolean> {
  const api = client.resource(R.nodes);
  let node = nodes.get(name);
  for (let attempt = 0; ; attempt++) {
    if (!node) return false;
    const taints = change(node.spec?.taints);
    if (!taints) return false;
    try {
      const spec = { ...node.spec, taints };
      if (!taints.length) delete spec.taints;
      await api.update('', { ...node, spec });
      return true;
    } catch (e) {
      if (codeOf(e) === 404) return false;
      if (codeOf(e) !== 409 || attempt >= RETRIES) throw e;
      node = await api.get('', name).catch((err) => {
        if (codeOf(err) === 404) return undefined;
        throw err;
      });
    }
  }
}
