// Structured logging: one JSON line per event, with the object's namespace/name when there is one.

/** Fields attached to a log line; `obj` is conventionally "namespace/name". */
export type LogFields = Record<string, unknown>;

type Level = 'debug' | 'info' | 'warn' | 'error';
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

let threshold: number = order[(process.env.TUGBOAT_LOG_LEVEL as Level) ?? 'info'] ?? order.info;
let sink: (line: string) => void = (line) => process.stderr.write(line + '\n');

/** Sets the minimum level written and, optionally, where lines go (tests capture them). */
export function configureLog(opts: { level?: Level; sink?: (line: string) => void }): void {
  if (opts.level) threshold = order[opts.level];
  if (opts.sink) sink = opts.sink;
}

/** A logger bound to one component name. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

/** Returns a logger whose lines carry `component`. */
export function logger(component: string): Logger {
  const write = (level: Level) => (msg: string, fields?: LogFields) => {
    if (order[level] < threshold) return;
    sink(JSON.stringify({ ts: new Date().toISOString(), level, component, msg, ...fields }));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
