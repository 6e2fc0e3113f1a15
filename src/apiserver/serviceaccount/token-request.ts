// serviceaccounts/token: issues a signed, optionally object-bound token (upstream's TokenREST), as `kubectl create token` asks.
import type { KObject } from '../../api/types';
import { badRequest, conflict, field, invalid, type FieldError } from '../../machinery/errors';
import { rfc3339 } from '../../util/clock';
import type { HandlerContext, SubresourceHandler } from '../handlers/context';
import { TOKEN_ISSUER, tokenClaims, type BoundRef } from './claims';
import { signJwt, type TokenKeys } from './jwt';

const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;
const BINDABLE = ['Pod', 'Secret', 'Node'];

/** upstream ValidateTokenRequest on the defaulted spec. */
export function validateTokenRequest(spec: { expirationSeconds: number }): FieldError[] {
  const errs: FieldError[] = [];
  const exp = spec.expirationSeconds;
  if (exp < MIN_EXPIRATION_SECONDS) errs.push(field.invalid('spec.expirationSeconds', exp, 'may not specify a duration less than 10 minutes'));
  if (exp > MAX_EXPIRATION_SECONDS) errs.push(field.invalid('spec.expirationSeconds', exp, 'may not specify a duration larger than 2^32 seconds'));
  return errs;
}

async function getObject(ctx: HandlerContext, resource: string, namespace: string, name: string): Promise<KObject> {
  const r = ctx.table.lookup('', 'v1', resource)!;
  return (await ctx.registry.get(r, r.namespaced ? namespace : '', name)).obj;
}

/** The bound object as the token will name it; 404 if it is gone, 409 if its uid is not the one the request gave. */
async function resolveBound(ctx: HandlerContext, namespace: string, ref: KObject | undefined): Promise<{ bound?: BoundRef; pod?: KObject }> {
  if (!ref) return {};
  const kind = String(ref.kind ?? '');
  if (!BINDABLE.includes(kind) || (ref.apiVersion ?? 'v1') !== 'v1') {
    throw badRequest(`cannot bind token for serviceaccount "${namespace}" to object of type ${ref.apiVersion ?? ''}, Kind=${kind}`);
  }
  const resource = kind === 'Pod' ? 'pods' : kind === 'Secret' ? 'secrets' : 'nodes';
  const obj = await getObject(ctx, resource, namespace, String(ref.name ?? ''));
  if (ref.uid && ref.uid !== obj.metadata.uid) {
    throw conflict(
      { group: '', resource },
      obj.metadata.name!,
      `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`,
    );
  }
  return { bound: { kind: kind as BoundRef['kind'], name: obj.metadata.name!, uid: obj.metadata.uid! }, pod: kind === 'Pod' ? obj : undefined };
}

/** The serviceaccounts/token handler, signing with `keys`. */
export function tokenRequestHandler(keys: TokenKeys): SubresourceHandler {
  return {
    async create(target, body, _wc, ctx) {
      if (body.kind && body.kind !== 'TokenRequest') throw badRequest(`not a TokenRequest object: ${body.kind}`);
      const sa = await getObject(ctx, 'serviceaccounts', target.namespace, target.name);
      const spec = {
        audiences: body.spec?.audiences?.length ? [...body.spec.audiences] : [TOKEN_ISSUER],
        expirationSeconds: body.spec?.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS,
        boundObjectRef: body.spec?.boundObjectRef ?? null,
      };
      const errs = validateTokenRequest(spec);
      if (errs.length) throw invalid('TokenRequest', 'authentication.k8s.io', target.name, errs);
      const { bound, pod } = await resolveBound(ctx, target.namespace, spec.boundObjectRef ?? undefined);
      let node: { name: string; uid: string } | undefined;
      if (pod?.spec?.nodeName) {
        const n = await getObject(ctx, 'nodes', '', pod.spec.nodeName).catch(() => undefined);
        if (n) node = { name: n.metadata.name!, uid: n.metadata.uid! };
      }
      const now = Math.floor(ctx.clock.now() / 1000);
      const claims = tokenClaims(
        { namespace: target.namespace, serviceAccount: { name: sa.metadata.name!, uid: sa.metadata.uid! }, audiences: spec.audiences, expirationSeconds: spec.expirationSeconds, bound, node },
        now,
      );
      const token = signJwt(claims, keys);
      return {
        code: 201,
        body: {
          kind: 'TokenRequest',
          apiVersion: 'authentication.k8s.io/v1',
          metadata: { name: target.name, namespace: target.namespace, creationTimestamp: rfc3339(now * 1000) },
          spec,
          status: { token, expirationTimestamp: rfc3339((claims.exp as number) * 1000) },
        },
      };
    },
  };
}
