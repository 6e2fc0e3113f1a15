// Who is calling: the identity taken from the client certificate (bearer tokens come with RBAC).
import type { TLSSocket } from 'node:tls';

/** The authenticated user, as upstream's user.Info. */
export interface UserInfo {
  username: string;
  groups: string[];
}

/** The identity of a request that presented no verified credential. */
export const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The user named by a verified client certificate: CN is the name, each O a group. */
export function userFromCertificate(socket: TLSSocket): UserInfo | undefined {
  if (!socket.authorized) return undefined;
  const cert = socket.getPeerCertificate();
  if (!cert || !cert.subject) return undefined;
  const org = cert.subject.O as string | string[] | undefined;
  const groups = org === undefined ? [] : Array.isArray(org) ? org : [org];
  return { username: String(cert.subject.CN), groups: [...groups, 'system:authenticated'] };
}
