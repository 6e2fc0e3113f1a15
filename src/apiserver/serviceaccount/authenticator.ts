// Bearer-token authentication of service account tokens: a valid signature, a current token, and live objects behind it.
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../authn';
import type { Registry } from '../registry/registry';
import type { ResourceTable } from '../resource-table';
import type { Clock } from '../../util/clock';
import { claimedIdentity, serviceAccountUser } from './claims';
import { verifyJwt, type TokenKeys } from './jwt';

/** Checks bearer tokens; undefined for requests without one or with one that does not authenticate. */
export type TokenAuthenticator = (req: IncomingMessage) => Promise<UserInfo | undefined>;

/** Authenticates service account tokens signed by `keys` whose account (and bound pod or secret) still exist with the same uid. */
export function serviceAccountTokenAuthenticator(keys: TokenKeys, table: ResourceTable, registry: Registry, clock: Clock): TokenAuthenticator {
  const uidOf = async (resource: string, namespace: string, name: string) => {
    try {
      return (await registry.get(table.lookup('', 'v1', resource)!, namespace, name)).obj.metadata.uid;
    } catch {
      return undefined;
    }
  };
  return async (req) => {
    const auth = req.headers.authorization;
    if (!auth || !/^bearer /i.test(auth)) return undefined;
    const claims = verifyJwt(auth.slice(7).trim(), keys);
    const id = claims && claimedIdentity(claims, Math.floor(clock.now() / 1000));
    if (!id) return undefined;
    if ((await uidOf('serviceaccounts', id.namespace, id.serviceAccount.name)) !== id.serviceAccount.uid) return undefined;
    if (id.bound && (await uidOf(id.bound.kind === 'Pod' ? 'pods' : 'secrets', id.namespace, id.bound.name)) !== id.bound.uid) return undefined;
    return serviceAccountUser(id.namespace, id.serviceAccount.name);
  };
}
