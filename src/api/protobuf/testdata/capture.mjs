// Captures the protobuf request bodies the real kubectl sends, as test fixtures.
//
//   node src/api/protobuf/testdata/capture.mjs [kubectl-binary]
//
// Starts a plain-http server (kubectl sends no credentials over http, none are needed) that
// answers /version, legacy discovery from the committed schema, and every write with a small
// JSON object; runs each kubectl command of COMMANDS against it with a temporary kubeconfig
// and saves the first protobuf body of each as testdata/<name>.bin. The expected JSON beside it
// (<name>.json) is what the same kubectl prints for `--dry-run=client -o json` (Go's own JSON of
// the object it would send); commands without a client dry-run get theirs written by hand.
import { createServer } from 'node:http';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const schema = JSON.parse(readFileSync(new URL('../../generated/schema.json', import.meta.url), 'utf8'));
const kubectl = process.argv[2] ?? 'kubectl';

const COMMANDS = {
  namespace: ['create', 'namespace', 'x'],
  configmap: ['create', 'configmap', 'c', '--from-literal=a=b'],
  secret: ['create', 'secret', 'generic', 's', '--from-literal=k=v'],
  'secret-docker': ['create', 'secret', 'docker-registry', 'reg', '--docker-server=r.example', '--docker-username=u', '--docker-password=p'],
  deployment: ['create', 'deployment', 'd', '--image=nginx', '--replicas=2', '--port=80'],
  'deployment-zero': ['create', 'deployment', 'z', '--image=nginx', '--replicas=0'],
  service: ['create', 'service', 'clusterip', 'svc', '--tcp=80:8080'],
  'service-nodeport': ['create', 'service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080'],
  hpa: ['autoscale', 'deployment', 'd', '--max=5', '--cpu-percent=80'],
  serviceaccount: ['create', 'serviceaccount', 'sa'],
  role: ['create', 'role', 'r', '--verb=get', '--resource=pods'],
  rolebinding: ['create', 'rolebinding', 'rb', '--role=r', '--serviceaccount=default:sa'],
  clusterrole: ['create', 'clusterrole', 'cr', '--verb=get,list', '--resource=deployments.apps', '--resource-name=d'],
  clusterrolebinding: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=alice', '--group=devs'],
  job: ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'],
  cronjob: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/1 * * * *'],
  priorityclass: ['create', 'priorityclass', 'pc', '--value=1000', '--description=high'],
  quota: ['create', 'quota', 'q', '--hard=cpu=1,memory=1Gi,pods=2,requests.cpu=500m'],
  ingress: ['create', 'ingress', 'ing', '--rule=foo.com/bar*=svc1:8080,tls=my-cert', '--class=nginx'],
  pdb: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=x', '--min-available=1'],
  'pdb-percent': ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=x', '--max-unavailable=50%'],
  'can-i': ['auth', 'can-i', 'get', 'pods'],
  'can-i-list': ['auth', 'can-i', '--list'],
  token: ['create', 'token', 'sa', '--duration=1h'],
};

const NO_DRY_RUN = new Set(['can-i', 'can-i-list', 'token']);

/** The command with `--dry-run=client -o json` (before a `--` separator). */
function dryRunArgs(args) {
  const i = args.indexOf('--');
  const extra = ['--dry-run=client', '-o', 'json'];
  return i < 0 ? [...args, ...extra] : [...args.slice(0, i), ...extra, ...args.slice(i)];
}

/** resource plural (per group/version) → the resource entry. */
const byPath = new Map();
for (const r of schema.resources) byPath.set(`${r.group}/${r.version}/${r.resource}`, r);

const bodies = new Map();
let current = '';

function apiResourceList(group, version) {
  const resources = [];
  for (const r of schema.resources.filter((x) => x.group === group && x.version === version)) {
    resources.push({ name: r.resource, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind, verbs: r.verbs });
    for (const s of r.subresources) resources.push({ name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced, group: s.group, version: s.version, kind: s.kind, verbs: s.verbs });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

function apiGroupList() {
  const groups = new Map();
  for (const r of schema.resources) if (r.group) {
    if (!groups.has(r.group)) groups.set(r.group, new Set());
    groups.get(r.group).add(r.version);
  }
  return {
    kind: 'APIGroupList', apiVersion: 'v1',
    groups: [...groups].map(([name, vs]) => {
      const versions = [...vs].map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
      return { name, versions, preferredVersion: versions[0] };
    }),
  };
}

function reply(res, code, obj) {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(obj));
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const url = new URL(req.url, 'http://x');
    const body = Buffer.concat(chunks);
    console.error(`[${current}] ${req.method} ${req.url} ${req.headers['content-type'] ?? ''} ${body.length} ${req.headers['user-agent'] ?? ''}`);
    const p = url.pathname;
    if (p === '/version') return reply(res, 200, { major: '1', minor: '35', gitVersion: 'v1.35.0', platform: 'linux/amd64' });
    if (p === '/api') return reply(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (p === '/apis') return reply(res, 200, apiGroupList());
    if (p === '/api/v1') return reply(res, 200, apiResourceList('', 'v1'));
    let m = /^\/apis\/([^/]+)\/([^/]+)$/.exec(p);
    if (m) return reply(res, 200, apiResourceList(m[1], m[2]));
    m = /^\/(?:api|apis\/([^/]+))\/([^/]+)\/(?:namespaces\/([^/]+)\/)?([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(p);
    if (!m) return reply(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
    const [, group = '', version, ns, resource, name, sub] = m;
    const r = byPath.get(`${group}/${version}/${resource}`);
    const apiVersion = group ? `${group}/${version}` : version;
    if (req.method === 'POST') {
      if (!bodies.has(current)) bodies.set(current, { contentType: req.headers['content-type'], url: req.url, body });
      if (sub === 'token') return reply(res, 201, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', metadata: { name }, spec: { audiences: [] }, status: { token: 'x', expirationTimestamp: '2030-01-01T00:00:00Z' } });
      if (r?.kind === 'SelfSubjectAccessReview') return reply(res, 201, { kind: r.kind, apiVersion, metadata: {}, spec: {}, status: { allowed: true } });
      if (r?.kind === 'SelfSubjectRulesReview') return reply(res, 201, { kind: r.kind, apiVersion, metadata: {}, spec: {}, status: { resourceRules: [], nonResourceRules: [], incomplete: false } });
      return reply(res, 201, { kind: r?.kind ?? 'Unknown', apiVersion, metadata: { name: 'captured', ...(ns ? { namespace: ns } : {}) } });
    }
    if (req.method === 'GET' && r?.kind === 'Deployment' && name) {
      return reply(res, 200, {
        kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name, namespace: ns, uid: 'u1', resourceVersion: '1' },
        spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
      });
    }
    if (req.method === 'GET' && r?.kind === 'ServiceAccount' && name) {
      return reply(res, 200, { kind: 'ServiceAccount', apiVersion: 'v1', metadata: { name, namespace: ns, uid: 'u2' } });
    }
    return reply(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'NotFound', message: 'not found', code: 404 });
  });
});

await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const port = server.address().port;
const dir = mkdtempSync(join(tmpdir(), 'k8ts-capture-'));
const kubeconfig = join(dir, 'config');
writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "http://127.0.0.1:${port}"}}]
users: [{name: u, user: {}}]
contexts: [{name: c, context: {cluster: c, user: u, namespace: default}}]
current-context: c
`);

const only = process.argv.slice(3);
for (const [name, args] of Object.entries(COMMANDS)) {
  if (only.length && !only.includes(name)) continue;
  current = name;
  const out = await new Promise((ok) => {
    execFile(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => ok({ err, stdout, stderr }));
  });
  console.error(`[${name}] exit=${out.err?.code ?? 0} ${out.stdout.trim()} ${out.stderr.trim()}`);
  const got = bodies.get(name);
  if (!got) continue;
  writeFileSync(join(here, `${name}.bin`), got.body);
  console.error(`[${name}] saved ${got.body.length} bytes (${got.contentType}) for ${got.url}`);
  if (NO_DRY_RUN.has(name)) continue;
  const dry = await new Promise((ok) => {
    execFile(kubectl, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...dryRunArgs(args)], { timeout: 30_000 }, (err, stdout, stderr) => ok({ err, stdout, stderr }));
  });
  if (dry.err) console.error(`[${name}] dry-run failed: ${dry.stderr}`);
  else writeFileSync(join(here, `${name}.json`), JSON.stringify(JSON.parse(dry.stdout), null, 2) + '\n');
}
server.close();
rmSync(dir, { recursive: true, force: true });
