// Closed-loop load: N clients each repeat one operation for a fixed time; throughput and latency percentiles.
import { quantile } from '../support/stats';

/** What a load run measured. */
export interface LoadFigures {
  clients: number;
  ok: number;
  errors: number;
  perSecond: number;
  p50: number;
  p99: number;
  /** The first error seen, for the report. */
  firstError?: string;
}

/** One operation of client `client`, its `i`-th; resolves false or throws on failure. */
export type Operation = (client: number, i: number) => Promise<boolean>;

/** Runs `clients` loops of `op` for `durationMs` and measures each op from call to resolve. */
export async function runLoad(clients: number, durationMs: number, op: Operation): Promise<LoadFigures> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t = performance.now();
        let ok = false;
        try {
          ok = await op(c, i);
        } catch (err) {
          firstError ??= (err as Error).message;
        }
        if (ok) latencies.push(performance.now() - t);
        else errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    clients,
    ok: latencies.length,
    errors,
    perSecond: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    firstError,
  };
}
