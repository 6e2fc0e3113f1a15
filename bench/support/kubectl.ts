// Runs the real kubectl (or a shell pipeline around it) against a benchmark's tugboat and times it.
import { execFile } from 'node:child_process';

/** What one timed run printed. */
export interface Timed {
  ok: boolean;
  ms: number;
  stdout: string;
  stderr: string;
}

/** Runs `sh -c script` with KUBECONFIG and HOME pointing at the cluster's data dir, timing it from spawn to exit. */
export function timedShell(script: string, t: { dataDir: string; kubeconfig: string }): Promise<Timed> {
  const env = { ...process.env, KUBECONFIG: t.kubeconfig, HOME: t.dataDir };
  const started = performance.now();
  return new Promise((resolve) => {
    execFile('sh', ['-c', script], { env, timeout: 120_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ ok: !err, ms: performance.now() - started, stdout, stderr });
    });
  });
}
