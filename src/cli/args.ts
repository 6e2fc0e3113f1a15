// A small flag parser: `--name value`, `--name=value`, boolean `--flag`/`--no-flag`, and positionals.
import { CliError } from './errors';

/** Parsed command line. */
export interface Args {
  positionals: string[];
  flags: Map<string, string | boolean>;
}

/** Parses argv; `booleans` lists flags that take no value. */
export function parseArgs(argv: string[], booleans: string[] = []): Args {
  const positionals: string[] = [];
  const flags = new Map<string, string | boolean>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positionals.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(2, eq) : a.slice(2);
    if (eq > 0) flags.set(name, a.slice(eq + 1));
    else if (booleans.includes(name)) flags.set(name, true);
    else {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new CliError(`flag --${name} needs a value`);
      flags.set(name, v);
      i++;
    }
  }
  return { positionals, flags };
}

/** A string flag's value, or `dflt` when absent. */
export function flag(args: Args, name: string, dflt: string): string {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : dflt;
}

/** Refuses flags the command does not know, naming the first one. */
export function checkFlags(args: Args, allowed: string[]): void {
  for (const k of args.flags.keys()) if (!allowed.includes(k)) throw new CliError(`unknown flag --${k}`);
}
