// The closing markdown table of bench/api.ts: each headline figure next to its goal, for the README to quote.
import { fmt, heading, printMarkdown } from '../support/stats';
import type { CreateFigures } from './creates';
import type { RssFigures } from './idle-rss';
import type { ListFigures } from './list-pods';
import type { StartFigures } from './start-time';
import type { WatchFigures } from './watch-fanout';

/** Whatever sections finished; a missing one prints as "-". */
export interface AllFigures {
  start?: StartFigures;
  rss?: RssFigures;
  creates?: CreateFigures;
  list?: ListFigures;
  watch?: WatchFigures;
}

const verdict = (ok: boolean | undefined) => (ok === undefined ? '-' : ok ? 'yes' : 'no');

/** Prints the summary table. */
export function printSummary(f: AllFigures): void {
  heading('summary (markdown)');
  const c = f.creates;
  const rate = (m: CreateFigures['sqlite'] | undefined, n: number) => m?.get(n)?.perSecond;
  const ratio = (n: number) => (c?.etcd ? rate(c.sqlite, n)! / rate(c.etcd, n)! : undefined);
  const rows: string[][] = [
    ['start, warm: spawn → `kubectl get ns` ok (median / min)', f.start ? `${fmt(f.start.warmTotal.median)} / ${fmt(f.start.warmTotal.min)} ms` : '-', '< 500 ms', verdict(f.start && f.start.warmTotal.median < 500)],
    ['start, warm: "ready in" reported (median)', f.start ? `${fmt(f.start.warmReported.median)} ms` : '-', '', ''],
    ['start, cold (new certificates): spawn → `kubectl get ns` ok', f.start ? `${fmt(f.start.cold.total)} ms` : '-', '', ''],
    ['idle RSS after 3 s', f.rss ? `${fmt(f.rss.tugboat, 1)} MiB` : '-', '< 80 MB', verdict(f.rss && f.rss.tugboat < 80)],
  ];
  for (const n of c ? [1, 16, 64] : []) {
    const r = ratio(n);
    rows.push([
      `ConfigMap creates/s, ${n} client${n > 1 ? 's' : ''}: sqlite / etcd (raw etcd put)`,
      `${fmt(rate(c!.sqlite, n))} / ${fmt(rate(c!.etcd, n))} (${fmt(rate(c!.rawEtcd, n))}) = ${fmt(r, 2)}x`,
      n === 64 ? '≥ 2x' : '',
      n === 64 ? verdict(r === undefined ? undefined : r >= 2) : '',
    ]);
  }
  if (f.list) {
    rows.push(
      ['10k pods: create with 64 clients', `${fmt(f.list.createSeconds, 1)} s (${fmt(10_000 / f.list.createSeconds)}/s)`, '', ''],
      ['10k pods: GET /api/v1/pods, no limit (median)', `${fmt(f.list.full.median)} ms, ${fmt(f.list.full.bytes / 1e6, 1)} MB`, '', ''],
      ['10k pods: limit=500, all 20 pages, JSON / Table (median)', `${fmt(f.list.paged.median)} / ${fmt(f.list.tablePaged.median)} ms`, '', ''],
      ['10k pods: `kubectl get pods -A` (median)', `${fmt(f.list.kubectl.median)} ms`, '', ''],
      ['10k pods: tugboat RSS afterwards', `${fmt(f.list.rssAfterMiB)} MiB`, '', ''],
    );
  }
  if (f.watch) {
    rows.push(
      ['watch fan-out: 100 watchers × 1,000 patches, events delivered', `${fmt(f.watch.eventsPerSecond)} events/s`, '', ''],
      ['watch fan-out: patches/s with 100 watchers (without)', `${fmt(1000 / (f.watch.patchesDone / 1000))} (${fmt(f.watch.baselinePatchesPerSecond)})`, '', ''],
      ['watch fan-out: slowest watcher lag after last patch ack', `${fmt(Math.max(0, f.watch.slowestLag))} ms`, '', ''],
    );
  }
  printMarkdown(['figure', 'result', 'goal', 'met'], rows);
}
