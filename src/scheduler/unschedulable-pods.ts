// The set of unschedulable pods, indexed by the plugins that rejected them and by gang group, so an event touches only pods it may help.
import type { MoveEvent, QueuedPodInfo } from './queue';

const ANY = '';

/** Unschedulable pods with indexes for cluster events. */
export class UnschedulablePods {
  private readonly pods = new Map<string, QueuedPodInfo>();
  private readonly byPlugin = new Map<string, Set<QueuedPodInfo>>();
  private readonly byGroup = new Map<string, Set<QueuedPodInfo>>();

  get size(): number {
    return this.pods.size;
  }

  has(key: string): boolean {
    return this.pods.has(key);
  }

  get(key: string): QueuedPodInfo | undefined {
    return this.pods.get(key);
  }

  values(): QueuedPodInfo[] {
    return [...this.pods.values()];
  }

  set(q: QueuedPodInfo): void {
    this.delete(q.key);
    this.pods.set(q.key, q);
    for (const p of q.unschedulablePlugins.size ? q.unschedulablePlugins : [ANY]) add(this.byPlugin, p, q);
    if (q.group) add(this.byGroup, q.group, q);
  }

  delete(key: string): QueuedPodInfo | undefined {
    const q = this.pods.get(key);
    if (!q) return undefined;
    this.pods.delete(key);
    for (const p of q.unschedulablePlugins.size ? q.unschedulablePlugins : [ANY]) remove(this.byPlugin, p, q);
    if (q.group) remove(this.byGroup, q.group, q);
    return q;
  }

  /** True when the event may help at least one pod. */
  anyHelped(ev: MoveEvent): boolean {
    if (!this.pods.size) return false;
    if ((!ev.plugins && !ev.groups) || this.byPlugin.has(ANY)) return true;
    return (ev.plugins ?? []).some((p) => this.byPlugin.has(p)) || (ev.groups ?? []).some((g) => this.byGroup.has(g));
  }

  /** The pods an event (or several, merged) may help: rejected by one of its plugins, in one of its groups, or by nothing in particular. */
  helped(all: boolean, plugins: Iterable<string>, groups: Iterable<string>): QueuedPodInfo[] {
    if (all) return this.values();
    const out = new Set<QueuedPodInfo>(this.byPlugin.get(ANY));
    for (const p of plugins) for (const q of this.byPlugin.get(p) ?? []) out.add(q);
    for (const g of groups) for (const q of this.byGroup.get(g) ?? []) out.add(q);
    return [...out];
  }
}

function add(m: Map<string, Set<QueuedPodInfo>>, k: string, q: QueuedPodInfo): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(q);
}

function remove(m: Map<string, Set<QueuedPodInfo>>, k: string, q: QueuedPodInfo): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(q);
  if (!s.size) m.delete(k);
}
