// Writes responses: JSON bodies, Status errors and Warning headers.
import type { ServerResponse } from 'node:http';
import { internalError, isStatusError, StatusError } from '../../machinery/errors';
import { logger } from '../../util/log';

const log = logger('apiserver');

/** Sends a JSON body (already serialized or an object) with a status code. */
export function sendJSON(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Adds Warning headers the way upstream formats them (`299 - "text"`). */
export function addWarnings(res: ServerResponse, warnings: string[]): void {
  if (!warnings.length || res.headersSent) return;
  const unique = [...new Set(warnings)];
  res.setHeader('Warning', unique.map((w) => `299 - ${JSON.stringify(w)}`));
}

/** Sends any error as a Status body; unexpected errors become a logged 500 without a stack in the body. */
export function sendError(res: ServerResponse, err: unknown, context: Record<string, unknown> = {}): void {
  let se: StatusError;
  if (isStatusError(err)) se = err;
  else {
    log.error('unexpected error', { ...context, err: (err as Error)?.stack ?? String(err) });
    se = internalError((err as Error)?.message ?? String(err));
  }
  if (res.headersSent) {
    res.end();
    return;
  }
  const headers: Record<string, string> = {};
  if (se.details?.retryAfterSeconds) headers['Retry-After'] = String(se.details.retryAfterSeconds);
  const text = JSON.stringify(se.toStatus());
  res.writeHead(se.code, { ...headers, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
