// Runs one probe (exec, httpGet, tcpSocket) once, as upstream's prober does: exec succeeds on
// exit code 0, httpGet on a status in [200, 400), tcpSocket when a connection opens; the output
// is what the Unhealthy event shows.
import http from 'node:http';
import https from 'node:https';
import { connect } from 'node:net';
import type { Container, Probe } from 'kubernetes-types/core/v1.js';

export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
}

export interface ProbeTarget {
  podIP: string;
  container: Container;
  /** Runs a command in the container with a timeout (the runtime's ExecSync). */
  execSync(cmd: string[], timeoutSeconds: number): Promise<{ exitCode: number; stdout: Buffer; stderr: Buffer }>;
}

const USER_AGENT = `kube-probe/1.35`;
/** upstream caps the body it reads (and shows) at 10 KiB. */
const MAX_OUTPUT = 10 * 1024;

export async function runProbe(probe: Probe, target: ProbeTarget): Promise<ProbeOutcome> {
  const timeout = Math.max(1, probe.timeoutSeconds ?? 1);
  try {
    if (probe.exec) return await execProbe(probe.exec.command ?? [], timeout, target);
    if (probe.httpGet) return await httpProbe(probe, timeout, target);
    if (probe.tcpSocket) return await tcpProbe(probe, timeout, target);
    if (probe.grpc) return { result: 'unknown', output: 'gRPC probes are not supported by this node agent' };
    return { result: 'unknown', output: 'missing probe handler' };
  } catch (e) {
    return { result: 'unknown', output: (e as Error).message };
  }
}

async function execProbe(cmd: string[], timeout: number, target: ProbeTarget): Promise<ProbeOutcome> {
  const r = await target.execSync(cmd, timeout);
  const output = Buffer.concat([r.stdout, r.stderr]).toString('utf8').slice(0, MAX_OUTPUT);
  return { result: r.exitCode === 0 ? 'success' : 'failure', output };
}

/** A port number, or a container port's name resolved against the container's ports. */
export function resolvePort(port: number | string | undefined, container: Container): number {
  if (typeof port === 'number') return port;
  if (port && /^\d+$/.test(port)) return Number(port);
  const found = container.ports?.find((p) => p.name === port);
  if (!found) throw new Error(`couldn't find port: ${port} in ${JSON.stringify(container.ports ?? [])}`);
  return found.containerPort;
}

function httpProbe(probe: Probe, timeout: number, target: ProbeTarget): Promise<ProbeOutcome> {
  const g = probe.httpGet!;
  const port = resolvePort(g.port, target.container);
  const host = g.host || target.podIP;
  const scheme = (g.scheme ?? 'HTTP').toLowerCase();
  let path = g.path ?? '/';
  if (!path.startsWith('/')) path = `/${path}`;
  const url = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
  const headers: Record<string, string> = { 'User-Agent': USER_AGENT, Accept: '*/*' };
  for (const h of g.httpHeaders ?? []) {
    if (h.name.toLowerCase() === 'user-agent') delete headers['User-Agent'];
    if (h.name.toLowerCase() === 'accept') delete headers.Accept;
    headers[h.name] = h.value;
  }
  const mod = scheme === 'https' ? https : http;
  return new Promise((resolve) => {
    const req = mod.request(url, { method: 'GET', headers, timeout: timeout * 1000, rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (body.length < MAX_OUTPUT) body += d;
      });
      res.on('end', () => {
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 400) resolve({ result: 'success', output: body.slice(0, MAX_OUTPUT) });
        else resolve({ result: 'failure', output: `HTTP probe failed with statuscode: ${code}` });
      });
      res.on('error', (e) => resolve({ result: 'failure', output: e.message }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ result: 'failure', output: `Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)` });
    });
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ result: 'failure', output: `Get "${url}": ${dialError(e, host, port)}` }));
    req.end();
  });
}

function tcpProbe(probe: Probe, timeout: number, target: ProbeTarget): Promise<ProbeOutcome> {
  const port = resolvePort(probe.tcpSocket!.port, target.container);
  const host = probe.tcpSocket!.host || target.podIP;
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      resolve({ result: 'failure', output: `dial tcp ${host}:${port}: i/o timeout` });
    }, timeout * 1000);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve({ result: 'success', output: '' });
    });
    sock.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ result: 'failure', output: dialError(e, host, port) });
    });
  });
}

function dialError(e: NodeJS.ErrnoException, host: string, port: number): string {
  if (e.code === 'ECONNREFUSED') return `dial tcp ${host}:${port}: connect: connection refused`;
  return `dial tcp ${host}:${port}: ${e.message}`;
}
