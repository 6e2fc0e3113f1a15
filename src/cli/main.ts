// The `tugboat` command: parses the command line, runs a subcommand, prints errors as one line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from './args';
import { CliError } from './errors';
import { image, IMAGE_USAGE } from './image';
import { node, NODE_USAGE } from './node';
import { up } from './up';

const USAGE = `Usage: tugboat <command> [flags]

Commands:
  up        Start a cluster in the foreground
            --data-dir DIR   state, certificates and kubeconfig (default ~/.tugboat)
            --port N         API server port (default 6443; 0 picks a free one)
            --store S        sqlite (default), memory, or etcd://host:port
            --no-merge       do not add a "tugboat" context to ~/.kube/config
            --sim-nodes N    simulated nodes to create (pods on them run without containers)
            --no-real-node   do not run containers on this host (by default, as root with containerd installed, it does)
            --container-runtime-endpoint SOCK  use this containerd instead of starting our own
            --event-ttl D    how long Events are kept after their last update (default 1h)
${NODE_USAGE}${IMAGE_USAGE}  version   Print tugboat's version
`;

function ownVersion(): string {
  try {
    return JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return '0.0.0';
  }
}

/** Runs the command line; exits non-zero with one readable line on error. */
export function main(argv: string[]): void {
  const [cmd, ...rest] = argv;
  const run = async () => {
    switch (cmd) {
      case 'up':
        return up(parseArgs(rest, ['no-merge', 'no-real-node']), ownVersion());
      case 'node':
        return node(rest);
      case 'image':
        return image(rest);
      case 'version':
      case '--version':
        process.stdout.write(`tugboat ${ownVersion()} (Kubernetes API v1.32)\n`);
        return;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return;
      default:
        throw new CliError(`unknown command "${cmd}"; run \`tugboat help\``);
    }
  };
  run().then(
    () => process.exit(0),
    (e) => {
      const msg = e instanceof CliError ? e.message : (e as Error)?.message ?? String(e);
      process.stderr.write(`tugboat: ${msg}\n`);
      if (!(e instanceof CliError) && process.env.TUGBOAT_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
      process.exit(1);
    },
  );
}
