// IP helpers for Services and Endpoints: special-range checks with upstream's messages.
import { isIP } from 'node:net';
import { field, type FieldError } from '../../machinery/errors';

/** The family of an address: 4, 6, or 0 when it is not one. */
export const ipFamily = (ip: string): 0 | 4 | 6 => isIP(ip) as 0 | 4 | 6;

/** upstream ValidateNonSpecialIP: not unspecified, loopback, link-local or link-local multicast. */
export function validateNonSpecialIP(ip: string, path: string): FieldError[] {
  const fam = ipFamily(ip);
  if (!fam) return [];
  const v4 = fam === 4 ? ip.split('.').map(Number) : undefined;
  const low = ip.toLowerCase();
  if ((v4 && v4.every((o) => o === 0)) || (!v4 && /^(0*:)*:?0*$/.test(low) && !/[1-9a-f]/.test(low)))
    return [field.invalid(path, ip, 'may not be unspecified (0.0.0.0, ::)')];
  if ((v4 && v4[0] === 127) || low === '::1') return [field.invalid(path, ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)')];
  if ((v4 && v4[0] === 169 && v4[1] === 254) || /^fe[89ab]/.test(low)) return [field.invalid(path, ip, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)')];
  if ((v4 && v4[0] === 224 && v4[1] === 0 && v4[2] === 0) || low.startsWith('ff02:'))
    return [field.invalid(path, ip, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)')];
  return [];
}
