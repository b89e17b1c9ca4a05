// POST /k8ts/v1/agent-credentials: a joining node agent trades the join token (and only the join
// token: `Authorization: Bearer <token>`) for its certificates. Body {nodeName, addresses}.
import { StatusError, errors } from '../../api/errors.js';
import { readBody } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import type { Req, Res } from '../http/types.js';
import { agentRequestProblem, type AgentCredentials, type JoinToken } from '../pki/index.js';

export const AGENT_CREDENTIALS_PATH = '/k8ts/v1/agent-credentials';

export interface AgentCredentialsEndpointOptions {
  token: JoinToken;
  issue(nodeName: string, addresses: string[]): Promise<AgentCredentials>;
}

export function agentCredentialsEndpoint(opts: AgentCredentialsEndpointOptions) {
  return async (req: Req, res: Res): Promise<void> => {
    const auth = String(req.headers.authorization ?? '');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!m || !opts.token.matches(m[1]!)) throw errors.unauthorized();
    if (req.method !== 'POST') throw new StatusError(405, 'MethodNotAllowed', `${req.method} is not supported on ${AGENT_CREDENTIALS_PATH}; use POST`);
    let body: { nodeName?: unknown; addresses?: unknown };
    try {
      body = JSON.parse((await readBody(req)).toString('utf8') || '{}');
    } catch (e) {
      throw errors.badRequest(`the request body is not JSON: ${(e as Error).message}`);
    }
    const addresses = body.addresses ?? [];
    const problem = agentRequestProblem(body.nodeName, addresses);
    if (problem) throw errors.badRequest(problem);
    writeJson(req, res, 200, await opts.issue(body.nodeName as string, addresses as string[]));
  };
}
