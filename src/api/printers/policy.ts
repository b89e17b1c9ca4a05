// Cluster policy and coordination: PodDisruptionBudget, PriorityClass, RuntimeClass, Lease,
// LeaseCandidate, CertificateSigningRequest, ClusterTrustBundle.
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { RuntimeClass } from 'kubernetes-types/node/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { CertificateSigningRequest } from 'kubernetes-types/certificates/v1.js';
import { humanDuration, int, intOrString, since } from './format.js';
import { AGE_COLUMN, NAME_COLUMN, col, printer, type KObject, type TablePrinter } from './types.js';

export const podDisruptionBudgetPrinter: TablePrinter = printer<PodDisruptionBudget>(
  [
    NAME_COLUMN,
    col('Min Available', 'string', 'Pods that must stay available.'),
    col('Max Unavailable', 'string', 'Pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Disruptions allowed now.'),
    AGE_COLUMN,
  ],
  (pdb, now) => [
    pdb.metadata?.name ?? '',
    pdb.spec?.minAvailable !== undefined ? intOrString(pdb.spec.minAvailable) : 'N/A',
    pdb.spec?.maxUnavailable !== undefined ? intOrString(pdb.spec.maxUnavailable) : 'N/A',
    int(pdb.status?.disruptionsAllowed),
    since(pdb.metadata?.creationTimestamp, now),
  ],
);

export const priorityClassPrinter: TablePrinter = printer<PriorityClass>(
  [
    NAME_COLUMN,
    col('Value', 'integer', 'Priority value.'),
    col('Global-Default', 'boolean', 'Whether pods without a class get this one.'),
    AGE_COLUMN,
    col('PreemptionPolicy', 'string', 'Whether pods of the class preempt others.'),
  ],
  (pc, now) => [pc.metadata?.name ?? '', int(pc.value), pc.globalDefault ?? false, since(pc.metadata?.creationTimestamp, now), pc.preemptionPolicy ?? 'PreemptLowerPriority'],
);

export const runtimeClassPrinter: TablePrinter = printer<RuntimeClass>(
  [NAME_COLUMN, col('Handler', 'string', 'Runtime handler of the class.'), AGE_COLUMN],
  (rc, now) => [rc.metadata?.name ?? '', rc.handler ?? '', since(rc.metadata?.creationTimestamp, now)],
);

export const leasePrinter: TablePrinter = printer<Lease>(
  [NAME_COLUMN, col('Holder', 'string', 'Current holder of the lease.'), AGE_COLUMN],
  (l, now) => [l.metadata?.name ?? '', l.spec?.holderIdentity ?? '', since(l.metadata?.creationTimestamp, now)],
);

export const leaseCandidatePrinter: TablePrinter = printer<KObject>(
  [
    NAME_COLUMN,
    col('LeaseName', 'string', 'Lease the candidate runs for.'),
    col('BinaryVersion', 'string', 'Binary version of the candidate.'),
    col('EmulationVersion', 'string', 'Emulation version of the candidate.'),
    AGE_COLUMN,
  ],
  (l, now) => [l.metadata?.name ?? '', l.spec?.leaseName ?? '', l.spec?.binaryVersion ?? '', l.spec?.emulationVersion ?? '', since(l.metadata?.creationTimestamp, now)],
);

/** `Approved,Issued`, `Denied`, `Pending,Failed`…: denial wins over approval. */
export function csrCondition(csr: CertificateSigningRequest): string {
  const types = new Set((csr.status?.conditions ?? []).map((c) => c.type));
  let s = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) s += ',Failed';
  if (csr.status?.certificate) s += ',Issued';
  return s;
}

export const certificateSigningRequestPrinter: TablePrinter = printer<CertificateSigningRequest>(
  [
    NAME_COLUMN,
    AGE_COLUMN,
    col('SignerName', 'string', 'Signer asked to sign.'),
    col('Requestor', 'string', 'User who created the request.'),
    col('RequestedDuration', 'string', 'Validity asked for the certificate.'),
    col('Condition', 'string', 'Approval and issuance state.'),
  ],
  (csr, now) => {
    const exp = csr.spec?.expirationSeconds;
    return [
      csr.metadata?.name ?? '',
      since(csr.metadata?.creationTimestamp, now),
      csr.spec?.signerName || '<none>',
      csr.spec?.username ?? '',
      typeof exp === 'number' ? humanDuration(exp * 1000) : '<none>',
      csrCondition(csr),
    ];
  },
);

export const clusterTrustBundlePrinter: TablePrinter = printer<KObject>(
  [NAME_COLUMN, col('SignerName', 'string', 'Signer of the bundle.')],
  (b) => [b.metadata?.name ?? '', b.spec?.signerName || '<none>'],
);
