// The admission chain's contract: plugins see each write after defaulting and before it is stored.
import type { KObject, ResourceInfo } from '../../api/types';
import type { UserInfo } from '../authn';

/** One write as admission plugins see it. */
export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  resource: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  /** The object to be stored (mutable for mutating plugins); absent on DELETE. */
  object?: KObject;
  oldObject?: KObject;
  dryRun: boolean;
  user: UserInfo;
}

/** A mutating and/or validating admission plugin; throwing a StatusError rejects the request. */
export interface AdmissionPlugin {
  name: string;
  admit(a: AdmissionAttributes): void | Promise<void>;
}
