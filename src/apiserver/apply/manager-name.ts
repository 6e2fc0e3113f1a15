// Field manager names: the default taken from the User-Agent, and the checks upstream applies to ?fieldManager=.
import { field, type FieldError } from '../../machinery/errors';

/** Upstream's limit on a field manager name, in bytes. */
export const FIELD_MANAGER_MAX_LENGTH = 128;

/** The manager for a request without ?fieldManager=: the User-Agent up to its first "/", printable characters only, at most 128 bytes. */
export function managerFromUserAgent(userAgent: string): string {
  let out = '';
  for (const ch of userAgent.split('/')[0]) {
    if (!isPrint(ch)) continue;
    if (Buffer.byteLength(out + ch) > FIELD_MANAGER_MAX_LENGTH) break;
    out += ch;
  }
  return out;
}

/** Field errors for ?fieldManager= at path `fieldManager`: required for apply, at most 128 bytes, printable. */
export function validateFieldManager(manager: string, isApply: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (isApply && !manager) errs.push(field.required('fieldManager', 'is required for apply patch'));
  if (Buffer.byteLength(manager) > FIELD_MANAGER_MAX_LENGTH) errs.push(field.tooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  let i = 0;
  for (const ch of manager) {
    if (!isPrint(ch)) {
      const code = ch.codePointAt(0)!;
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      errs.push(field.invalid('fieldManager', manager, `invalid character U+${hex} (at position ${i})`));
    }
    i += Buffer.byteLength(ch);
  }
  return errs;
}

// Go's unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
function isPrint(ch: string): boolean {
  return ch === ' ' || /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(ch);
}
