// Decode speed against JSON.parse, for a ~2.5 KB pod (compact, as clients send it) and a ~1.5 MB
// pretty-printed list of pods. Prints medians; run with `npx tsx src/api/codec/json-decode.bench.ts`.
import { loadSchema } from '../schema/index.js';
import { decodeProtobufBody, encodeProtobufBody } from '../protobuf/index.js';
import { decodeJson } from './json-decode.js';
import { checkAgainstSchema } from './schema-check.js';

const schema = loadSchema();

function samplePod(i: number): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d9f8c6b5-${i}`,
      namespace: 'default',
      uid: `6f1c2f4e-0b1a-4c4e-9a55-${String(i).padStart(12, '0')}`,
      resourceVersion: String(100000 + i),
      creationTimestamp: '2024-05-06T07:08:09Z',
      labels: { app: 'web', 'pod-template-hash': '7d9f8c6b5', tier: 'frontend' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-06T07:00:00Z', note: 'a "quoted" value: with colon' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d9f8c6b5', uid: 'a0b1c2d3', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          env: [
            { name: 'MODE', value: 'production' },
            { name: 'POD_IP', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'status.podIP' } } },
          ],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
          livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, initialDelaySeconds: 5, periodSeconds: 10, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 5, timeoutSeconds: 1, successThreshold: 1, failureThreshold: 3 },
          volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
          securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false },
        },
      ],
      volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }, { name: 'kube-api-access', projected: { defaultMode: 420, sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeName: 'node-1',
      schedulerName: 'default-scheduler',
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
      priority: 0,
      enableServiceLinks: true,
    },
    status: { phase: 'Running', podIP: '10.0.0.5', hostIP: '192.168.1.10', startTime: '2024-05-06T07:08:10Z', qosClass: 'Burstable' },
  };
}

/** Median time of one call, from samples of enough calls to last about a millisecond each. */
function median(fn: () => unknown, minMs = 400): number {
  let batch = 1;
  for (;;) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    if (performance.now() - t >= 1) break;
    batch *= 2;
  }
  const times: number[] = [];
  const deadline = performance.now() + minMs;
  while (performance.now() < deadline || times.length < 7) {
    const t = performance.now();
    for (let i = 0; i < batch; i++) fn();
    times.push((performance.now() - t) / batch);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const fmt = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

const small = JSON.stringify(samplePod(1));
const big = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: Array.from({ length: 350 }, (_, i) => samplePod(i)) }, null, 2);
const dupSmall = small.replace('"name":"web",', '"name":"web","name":"web2",');

console.log(`body sizes: pod ${small.length} B, list ${(big.length / 1e6).toFixed(2)} MB`);
for (const [label, text] of [
  ['pod 2.5 KB', small],
  ['list 1.5 MB', big],
  ['pod with a duplicate (slow path)', dupSmall],
] as const) {
  const base = median(() => JSON.parse(text));
  const ours = median(() => decodeJson(text));
  console.log(`${label.padEnd(34)} JSON.parse ${fmt(base).padStart(10)}   decodeJson ${fmt(ours).padStart(10)}   ratio ${(ours / base).toFixed(2)}`);
}

const podValue = decodeJson(small).value;
const pool = Array.from({ length: 4096 }, () => structuredClone(podValue));
let next = 0;
const check = median(() => checkAgainstSchema(pool[next++ % pool.length], schema, 'io.k8s.api.core.v1.Pod', 'Strict', []));
console.log(`checkAgainstSchema (pod, Strict)   ${fmt(check)}`);

const pb = encodeProtobufBody(decodeProtobufBody(encodeProtobufBody(samplePod(1), schema), schema).object, schema);
console.log(`protobuf pod ${pb.length} B: decode ${fmt(median(() => decodeProtobufBody(pb, schema)))}, encode ${fmt(median(() => encodeProtobufBody(samplePod(1), schema)))}`);
