// Micro-benchmark of managedFields bookkeeping: `npx tsx src/apiserver/patch/apply/managed-fields.bench.ts`.
// Prints µs/op for a create of a ~2 KB pod, an update of one label of that pod (one existing
// manager) and an update of a Deployment's spec.replicas with three managers, plus a
// server-side apply of the Deployment for reference. The updated objects are deep copies of the
// stored ones carrying their managedFields, as the PUT/PATCH handlers pass them.
import { loadSchema } from '../../../api/schema/index.js';
import { defaultPod } from '../../../api/strategies/pod.js';
import { defaultDeployment } from '../../../api/strategies/workloads.js';
import type { KObject } from '../../../api/strategies/types.js';
import { clone, type JsonObject } from '../json.js';
import { updateManagedFields, type UpdateManagedFieldsOptions } from './managed-fields.js';
import { serverSideApply } from './server-side-apply.js';

const schema = loadSchema();
const POD = 'io.k8s.api.core.v1.Pod';
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';
const T0 = Date.parse('2025-01-01T00:00:00Z');

/** bench/api.ts's podBody, after defaulting, as the create handler sees it. */
function podBody(name: string): JsonObject {
  const env = Array.from({ length: 12 }, (_, i) => ({ name: `VAR_${i}`, value: `value-${i}-${'x'.repeat(40)}` }));
  const pod = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'bench', tier: 'backend', run: name }, annotations: { 'bench.k8ts.io/note': 'a pod of about two kilobytes' } },
    spec: {
      containers: [{
        name: 'app', image: 'registry.local/bench/app:1.0', command: ['/bin/app', '--serve'], args: ['--port=8080', '--verbose'],
        ports: [{ name: 'http', containerPort: 8080 }], env,
        resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
        readinessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
      }],
    },
  };
  defaultPod(pod as unknown as KObject);
  return pod as unknown as JsonObject;
}

function deployment(): JsonObject {
  const d = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{
            name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }],
            env: Array.from({ length: 6 }, (_, i) => ({ name: `E${i}`, value: `v${i}` })),
            resources: { requests: { cpu: '100m' } },
          }],
        },
      },
    },
  };
  defaultDeployment(d as unknown as KObject);
  return d as unknown as JsonObject;
}

type Opts = Omit<UpdateManagedFieldsOptions, 'schema'>;
function write(o: Opts): JsonObject {
  const managedFields = updateManagedFields({ ...o, schema });
  const obj = clone(o.updated);
  const meta = (obj.metadata ??= {}) as JsonObject;
  if (managedFields) meta.managedFields = managedFields as unknown as JsonObject[];
  else delete meta.managedFields;
  return obj;
}

function stored(obj: JsonObject, uid: string): JsonObject {
  const meta = obj.metadata as JsonObject;
  Object.assign(meta, { uid, resourceVersion: '42', creationTimestamp: '2025-01-01T00:00:00Z' });
  return obj;
}

// A stored pod with its create entry, and a merge patch of one label.
const podCreate: Opts = { old: undefined, updated: podBody('pod-1'), manager: 'kubectl-create', apiVersion: 'v1', now: T0, typeName: POD };
const podStored = stored(write(podCreate), 'u-pod');
(podStored as JsonObject).status = { phase: 'Pending', qosClass: 'Burstable' };
const podPatched = clone(podStored);
((podPatched.metadata as JsonObject).labels as JsonObject).tier = 'frontend';
const podLabel: Opts = { old: podStored, updated: podPatched, manager: 'kubectl-label', apiVersion: 'v1', now: T0 + 60_000, typeName: POD };

// A Deployment written by kubectl-create, its status by the controller manager, an edit, then a scale.
let dep = stored(write({ old: undefined, updated: deployment(), manager: 'kubectl-create', apiVersion: 'apps/v1', now: T0, typeName: DEPLOYMENT }), 'u-dep');
let next = clone(dep);
next.status = { observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3, conditions: [
  { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.', lastUpdateTime: '2025-01-01T00:00:05Z', lastTransitionTime: '2025-01-01T00:00:05Z' },
  { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-5d4f" has successfully progressed.', lastUpdateTime: '2025-01-01T00:00:05Z', lastTransitionTime: '2025-01-01T00:00:01Z' },
] };
dep = write({ old: dep, updated: next, manager: 'kube-controller-manager', apiVersion: 'apps/v1', subresource: 'status', now: T0 + 5_000, typeName: DEPLOYMENT });
next = clone(dep);
((((next.spec as JsonObject).template as JsonObject).metadata as JsonObject) as JsonObject).annotations = { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:01:00Z' };
dep = write({ old: dep, updated: next, manager: 'kubectl-rollout', apiVersion: 'apps/v1', now: T0 + 60_000, typeName: DEPLOYMENT });
next = clone(dep);
(next.spec as JsonObject).replicas = 5;
const depScale: Opts = { old: dep, updated: next, manager: 'kubectl-scale', apiVersion: 'apps/v1', now: T0 + 120_000, typeName: DEPLOYMENT };

const applied: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } };

/** BENCH_ONLY=<substring> runs only the matching cases (handy with --cpu-prof). */
const only = process.env.BENCH_ONLY;

/** CPU time (user + system, so other processes on a busy machine count less), best of 10 rounds. */
function bench(name: string, fn: () => unknown): void {
  if (only && !name.includes(only)) return;
  for (let i = 0; i < 2000; i++) fn();
  let best = Infinity;
  for (let round = 0; round < 10; round++) {
    const n = 2000;
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const d = process.cpuUsage(t);
    best = Math.min(best, (d.user + d.system) / n);
  }
  console.log(`${name.padEnd(44)} ${best.toFixed(2).padStart(8)} µs/op`);
}

console.log(`pod body: ${JSON.stringify(podCreate.updated).length} bytes; managers on the deployment: ${((dep.metadata as JsonObject).managedFields as unknown[]).length}`);
bench('create pod (2 KB)', () => updateManagedFields({ ...podCreate, schema }));
bench('update pod: one label, 1 manager', () => updateManagedFields({ ...podLabel, schema }));
bench('update deployment: spec.replicas, 3 managers', () => updateManagedFields({ ...depScale, schema }));
bench('server-side apply deployment, 3 managers', () => serverSideApply({ live: dep, applied, manager: 'kubectl', force: true, schema, typeName: DEPLOYMENT, now: T0 + 180_000 }));
