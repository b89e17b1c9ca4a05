// Admission: an ordered chain of mutating plugins, then validating ones, run on every write
// after defaulting (mutating) and after validation (validating), as kube-apiserver does.
import type { KObject } from '../../api/strategies/types.js';
import type { ResourceInfo } from '../../api/registry/registry.js';
import type { UserInfo } from '../http/types.js';

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  object?: KObject;
  oldObject?: KObject;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  readonly name: string;
  /** May change attrs.object; throws a StatusError to reject. */
  admit?(attrs: AdmissionAttributes): Promise<void>;
  /** Must not change anything; throws a StatusError to reject. */
  validate?(attrs: AdmissionAttributes): Promise<void>;
}

export class AdmissionChain {
  constructor(private readonly plugins: AdmissionPlugin[]) {}

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.admit) await p.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const p of this.plugins) if (p.validate) await p.validate(attrs);
  }
}
