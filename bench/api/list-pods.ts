// Listing 10,000 pods: one full JSON list, a limit=500 paginated walk, and `kubectl get pods -A`.
import { apiClient, ApiClient, Headers } from '../support/client';
import { timedShell } from '../support/kubectl';
import { rssMiB } from '../support/proc';
import { fmt, heading, minMedian, printTable } from '../support/stats';
import type { Tugboat } from '../support/tugboat';

const PODS = 10_000;
const NAMESPACES = 10;
const CREATE_CLIENTS = 64;
const RUNS = 5;
const PAGE = 500;
/** What kubectl get asks for: server-side Table rows, falling back to plain JSON. */
const TABLE = { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json' };

/** List figures for the summary (milliseconds unless named otherwise). */
export interface ListFigures {
  createSeconds: number;
  createErrors: number;
  full: { min: number; median: number; bytes: number; items: number };
  paged: { min: number; median: number; pages: number; items: number };
  /** The same walk as Table pages, the server's share of `kubectl get`. */
  tablePaged: { min: number; median: number; pages: number; items: number };
  kubectl: { min: number; median: number; lines: number };
  rssAfterMiB: number;
}

/** Creates PODS minimal unscheduled pods spread over NAMESPACES namespaces with CREATE_CLIENTS clients. */
async function createPods(client: ApiClient): Promise<{ seconds: number; errors: number }> {
  for (let n = 0; n < NAMESPACES; n++) {
    await client.json('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `pods-${n}` } });
  }
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CREATE_CLIENTS }, async () => {
      for (let i = next++; i < PODS; i = next++) {
        const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${i}` }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };
        const r = await client.send('POST', `/api/v1/namespaces/pods-${i % NAMESPACES}/pods`, pod);
        if (r.status !== 201) errors++;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, errors };
}

/** Times one request until its whole body has arrived. */
async function timedGet(client: ApiClient, path: string, headers?: Headers): Promise<{ ms: number; body: Buffer }> {
  const t = performance.now();
  const r = await client.send('GET', path, undefined, headers);
  if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.toString().slice(0, 200)}`);
  return { ms: performance.now() - t, body: r.body };
}

/** Runs `fn` `n` times in a row; returns the min and median of its `ms` and its last result. */
async function repeat<R extends { ms: number }>(n: number, fn: () => Promise<R>): Promise<{ min: number; median: number; last: R }> {
  const runs: R[] = [];
  for (let i = 0; i < n; i++) runs.push(await fn());
  return { ...minMedian(runs.map((r) => r.ms)), last: runs[runs.length - 1] };
}

/** Walks every page of limit=PAGE (as Table rows with TABLE); returns the wall time, page count and items or rows seen. */
async function pagedWalk(client: ApiClient, headers?: Headers): Promise<{ ms: number; pages: number; items: number }> {
  const t = performance.now();
  let pages = 0;
  let items = 0;
  let cont = '';
  do {
    const r = await timedGet(client, `/api/v1/pods?limit=${PAGE}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, headers);
    const list = JSON.parse(r.body.toString()) as { items?: unknown[]; rows?: unknown[]; metadata: { continue?: string } };
    pages++;
    items += (list.items ?? list.rows ?? []).length;
    cont = list.metadata.continue ?? '';
  } while (cont);
  return { ms: performance.now() - t, pages, items };
}

/** Fills `t` with PODS pods and times the three ways of listing them. */
export async function benchListPods(t: Tugboat): Promise<ListFigures> {
  heading(`4. list ${PODS.toLocaleString('en')} pods (${NAMESPACES} namespaces, unscheduled)`);
  const client = apiClient(t, CREATE_CLIENTS);
  try {
    const created = await createPods(client);
    console.log(
      `created ${PODS} pods with ${CREATE_CLIENTS} clients in ${fmt(created.seconds, 1)} s ` +
        `(${fmt(PODS / created.seconds)} pods/s, ${created.errors} errors)`,
    );

    const full = await repeat(RUNS, () => timedGet(client, '/api/v1/pods'));
    const paged = await repeat(RUNS, () => pagedWalk(client));
    const table = await repeat(RUNS, () => pagedWalk(client, TABLE));
    const kubectl = await repeat(3, async () => {
      const k = await timedShell('kubectl get pods -A --no-headers | wc -l', t);
      if (!k.ok) throw new Error(`kubectl get pods failed: ${k.stderr}`);
      return k;
    });
    const bytes = full.last.body.length;
    const items = (JSON.parse(full.last.body.toString()) as { items: unknown[] }).items.length;
    const lines = Number(kubectl.last.stdout.trim());
    const figures: ListFigures = {
      createSeconds: created.seconds,
      createErrors: created.errors,
      full: { min: full.min, median: full.median, bytes, items },
      paged: { min: paged.min, median: paged.median, pages: paged.last.pages, items: paged.last.items },
      tablePaged: { min: table.min, median: table.median, pages: table.last.pages, items: table.last.items },
      kubectl: { min: kubectl.min, median: kubectl.median, lines },
      rssAfterMiB: rssMiB(t.pid),
    };
    printTable(
      ['request', 'runs', 'min ms', 'median ms', 'result'],
      [
        ['GET /api/v1/pods (JSON, no limit)', String(RUNS), fmt(figures.full.min), fmt(figures.full.median), `${items} items, ${fmt(bytes / 1e6, 1)} MB`],
        [`GET /api/v1/pods?limit=${PAGE}, all pages`, String(RUNS), fmt(paged.min), fmt(paged.median), `${paged.last.items} items in ${paged.last.pages} pages`],
        ['same, as Table (what kubectl asks for)', String(RUNS), fmt(table.min), fmt(table.median), `${table.last.items} rows in ${table.last.pages} pages`],
        ['kubectl get pods -A --no-headers | wc -l', '3', fmt(figures.kubectl.min), fmt(figures.kubectl.median), `${lines} lines`],
      ],
    );
    console.log(`tugboat VmRSS with ${PODS} pods: ${fmt(figures.rssAfterMiB, 1)} MiB`);
    return figures;
  } finally {
    client.close();
  }
}
