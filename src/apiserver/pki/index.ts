export {
  ensurePki,
  issueClientCert,
  issueServingCert,
  requiredServerSans,
  pkiFiles,
  ADMIN_GROUP,
  ADMIN_USER,
  CA_DAYS,
  KUBERNETES_SERVICE_IP,
  LEAF_DAYS,
  RENEW_BEFORE_DAYS,
  type CertKeyPem,
  type ClientCertOptions,
  type EnsurePkiOptions,
  type Pki,
  type PkiFiles,
  type PkiPart,
  type ServingCertOptions,
  type SubjectAltNames,
} from './pki.js';
export { identityFromSocket, parseClientIdentity, type ClientIdentity } from './identity.js';
export { certSans, issuedBy, keyMatchesCert } from './certs.js';
export { KUBELET_CLIENT_USER } from './pki.js';
export { ensureJoinToken, joinToken, parseJoinToken, caHash, type JoinToken } from './join-token.js';
export { issueAgentCredentials, agentRequestProblem, type AgentCredentials } from './agent-credentials.js';
