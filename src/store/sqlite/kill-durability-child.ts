// Child process for kill-durability.test: creates keys with 8 concurrent writers and prints each acknowledged one.
import { SqliteStore } from './sqlite-store';

const store = new SqliteStore({ path: process.argv[2] });
let n = 0;

async function writer(): Promise<never> {
  for (;;) {
    const key = `/k/${n++}`;
    const kv = await store.create(key, JSON.stringify({ n, pad: 'x'.repeat(200) }));
    // stdout to a pipe is synchronous on Linux: once written, the parent can read it even after SIGKILL.
    process.stdout.write(`${key} ${kv.modRevision}\n`);
  }
}

for (let i = 0; i < 8; i++) void writer();
