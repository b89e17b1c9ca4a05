import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { StatusError } from '../errors.js';
import { decodeMessage, decodeProtobufBody, encodeMessage, encodeProtobufBody } from './index.js';
import { Writer } from './wire.js';

const schema = loadSchema();
const testdata = new URL('./testdata/', import.meta.url);
const fixtures = readdirSync(testdata)
  .filter((f) => f.endsWith('.bin'))
  .map((f) => f.slice(0, -4));

/** decode(encode(x)): the object as it comes back from the wire, with Go's always-printed parts. */
const wire = (obj: Record<string, unknown>) => decodeProtobufBody(encodeProtobufBody(obj, schema), schema).object;

function statusOf(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StatusError) return e;
    throw e;
  }
  throw new Error('expected a StatusError');
}

describe('kubectl protobuf bodies', () => {
  it('has the captured fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(20);
  });

  for (const name of fixtures) {
    const bin = readFileSync(new URL(`${name}.bin`, testdata));
    const want = JSON.parse(readFileSync(new URL(`${name}.json`, testdata), 'utf8'));

    it(`decodes ${name} to the JSON kubectl prints`, () => {
      const got = decodeProtobufBody(bin, schema);
      expect(got.object).toEqual(want);
      expect(got.apiVersion).toBe(want.apiVersion);
      expect(got.kind).toBe(want.kind);
    });

    it(`re-encodes ${name} byte for byte`, () => {
      const got = decodeProtobufBody(bin, schema);
      expect(encodeProtobufBody(got.object, schema).toString('hex')).toBe(bin.toString('hex'));
    });
  }

  it('keeps a pointer set to zero (deployment --replicas=0)', () => {
    const got = decodeProtobufBody(readFileSync(new URL('deployment-zero.bin', testdata)), schema);
    expect((got.object.spec as { replicas: number }).replicas).toBe(0);
  });
});

describe('decodeProtobufBody errors', () => {
  const ns = readFileSync(new URL('namespace.bin', testdata));

  it.each([
    ['empty data', Buffer.alloc(0), 'empty data'],
    ['not protobuf', Buffer.from('{"kind":"Namespace"}'), 'provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]'],
    ['only the prefix', Buffer.from([0x6b, 0x38, 0x73, 0]), 'empty body'],
    ['truncated envelope', ns.subarray(0, 20), 'unexpected EOF'],
    ['illegal tag', Buffer.from([0x6b, 0x38, 0x73, 0, 0x00]), 'proto: Unknown: illegal tag 0 (wire type 0)'],
  ])('%s → 400', (_n, buf, message) => {
    const e = statusOf(() => decodeProtobufBody(buf, schema));
    expect(e.code).toBe(400);
    expect(e.reason).toBe('BadRequest');
    expect(e.message).toBe(message);
  });

  it('words errors as the create handler does when told the kind', () => {
    const e = statusOf(() => decodeProtobufBody(ns.subarray(0, 20), schema, { into: 'Namespace' }));
    expect(e.message).toBe('the object provided is unrecognized (must be of type Namespace): unexpected EOF (6b387300 ...)'.replace('6b387300 ...', ns.subarray(0, 20).toString('hex')));
  });

  it('rejects an unknown kind with 400', () => {
    const body = encodeProtobufBody({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } }, schema);
    const patched = Buffer.from(body.toString('latin1').replace('Namespace', 'Namespacx'), 'latin1');
    const e = statusOf(() => decodeProtobufBody(patched, schema, { into: 'Namespace' }));
    expect(e.code).toBe(400);
    expect(e.message).toBe(
      'Namespacx in version "v1" cannot be handled as a Namespace: no kind "Namespacx" is registered for version "v1" in scheme "pkg/api/legacyscheme/scheme.go:30"',
    );
  });

  it('rejects a missing kind', () => {
    const w = new Writer();
    for (const b of [0x6b, 0x38, 0x73, 0]) w.byte(b);
    w.tag(1, 2);
    w.bytes(encodeMessage(schema, 'io.k8s.apimachinery.pkg.runtime.TypeMeta', { apiVersion: 'v1' }));
    const e = statusOf(() => decodeProtobufBody(w.finish(), schema));
    expect(e.message).toBe(`Object 'Kind' is missing in 'runtime.TypeMeta{APIVersion:"v1", Kind:""}'`);
  });

  it('rejects a wrong wire type inside the object', () => {
    // ConfigMap with metadata (field 1) sent as a varint.
    const raw = Uint8Array.of(0x08, 0x01);
    const w = new Writer();
    for (const b of [0x6b, 0x38, 0x73, 0]) w.byte(b);
    w.tag(1, 2);
    w.bytes(encodeMessage(schema, 'io.k8s.apimachinery.pkg.runtime.TypeMeta', { apiVersion: 'v1', kind: 'ConfigMap' }));
    w.tag(2, 2);
    w.bytes(raw);
    const e = statusOf(() => decodeProtobufBody(w.finish(), schema, { into: 'ConfigMap' }));
    expect(e.message).toBe('ConfigMap in version "v1" cannot be handled as a ConfigMap: proto: wrong wireType = 0 for field Metadata');
  });
});

describe('protobuf round trips', () => {
  it('a pod with the special types', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'default',
        uid: 'u-1',
        generation: 3,
        creationTimestamp: '2024-05-06T07:08:09Z',
        deletionGracePeriodSeconds: 0,
        labels: { app: 'web', tier: '' },
        annotations: { 'example.com/x': 'y' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-2', controller: true, blockOwnerDeletion: false }],
        managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-05-06T07:08:09Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { '.': {} } } } }],
      },
      spec: {
        automountServiceAccountToken: false,
        terminationGracePeriodSeconds: 30,
        securityContext: { runAsNonRoot: false, runAsUser: 0 },
        volumes: [{ name: 'data', emptyDir: { sizeLimit: '1Gi' } }, { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } }],
        containers: [
          {
            name: 'c',
            image: 'nginx',
            ports: [{ containerPort: 80, protocol: 'TCP' }],
            env: [{ name: 'A', value: '' }],
            resources: { requests: { cpu: '0.5', memory: '1024Mi' }, limits: { cpu: '1000m' } },
            livenessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 10 },
            readinessProbe: { tcpSocket: { port: 8080 } },
          },
        ],
      },
      status: { phase: 'Running', startTime: '2024-05-06T07:08:10Z' },
    };
    const got = wire(pod) as typeof pod & { spec: { containers: Array<Record<string, unknown>> } };
    expect(got.metadata).toEqual(pod.metadata);
    expect(got.spec.automountServiceAccountToken).toBe(false);
    expect(got.spec.securityContext).toEqual({ runAsNonRoot: false, runAsUser: 0 });
    expect(got.spec.volumes).toEqual([
      { name: 'data', emptyDir: { sizeLimit: '1Gi' } },
      { name: 'cfg', configMap: { name: 'c', defaultMode: 420 } },
    ]);
    const c = got.spec.containers[0]!;
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1' } });
    expect(c.livenessProbe).toEqual({ httpGet: { path: '/', port: 'http' }, periodSeconds: 10 });
    expect(c.readinessProbe).toEqual({ tcpSocket: { port: 8080 } });
    expect(c.env).toEqual([{ name: 'A' }]);
    expect(got.status).toEqual({ phase: 'Running', startTime: '2024-05-06T07:08:10Z' });
    expect(wire(got)).toEqual(got);
  });

  it('an events.k8s.io event with MicroTime and a series', () => {
    const ev = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default', creationTimestamp: null },
      eventTime: '2024-05-06T07:08:09.123456Z',
      series: { count: 2, lastObservedTime: '2024-05-06T07:09:00.000001Z' },
      reportingController: 'k8ts/scheduler',
      reason: 'Scheduled',
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
      note: 'ok',
      type: 'Normal',
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    };
    expect(wire(ev)).toEqual(ev);
  });

  it('bytes, ExtraValue maps, negative and large integers', () => {
    const sar = {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SubjectAccessReview',
      metadata: { creationTimestamp: null },
      spec: { user: 'alice', groups: ['a', 'b'], extra: { scopes: ['x', 'y'], empty: [] }, nonResourceAttributes: { path: '/healthz', verb: 'get' } },
      status: { allowed: false },
    };
    expect(wire(sar)).toEqual(sar);
    const pc = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'low', creationTimestamp: null }, value: -5 };
    expect(wire(pc)).toEqual(pc);
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', creationTimestamp: null, generation: 2 ** 40 }, spec: { leaseDurationSeconds: 40 } };
    expect(wire(lease)).toEqual(lease);
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', creationTimestamp: null }, data: { bin: Buffer.from([0, 255, 1]).toString('base64'), empty: '' }, type: 'Opaque' };
    expect(wire(secret)).toEqual(secret);
  });

  it('a RawExtension holding JSON', () => {
    const cr = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: { name: 'r', creationTimestamp: null }, data: { spec: { template: { x: 1 } } }, revision: 2 };
    expect(wire(cr)).toEqual(cr);
  });

  it('keeps an explicitly empty storage class (a pointer)', () => {
    const pvc = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'c' }, spec: { storageClassName: '', resources: { requests: { storage: '1Gi' } } } };
    expect((wire(pvc).spec as Record<string, unknown>).storageClassName).toBe('');
  });

  it('writes and reads long length prefixes', () => {
    for (const size of [127, 128, 16383, 16384, 70000]) {
      const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', creationTimestamp: null }, data: { k: 'x'.repeat(size), 'ü': 'ß' } };
      expect(wire(cm)).toEqual(cm);
    }
  });

  it('reads packed repeated scalars', () => {
    // PodFailurePolicyOnExitCodesRequirement {operator=2, values=3 (repeated int32)}
    const w = new Writer();
    w.tag(2, 2);
    w.string('In');
    w.tag(3, 2);
    const packed = new Writer();
    for (const v of [1, 2, 300]) packed.varint(v);
    w.bytes(packed.finish());
    w.tag(3, 0);
    w.varint(7);
    const got = decodeMessage(schema, 'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement', w.finish());
    expect(got).toEqual({ operator: 'In', values: [1, 2, 300, 7] });
  });

  it('skips unknown fields', () => {
    const w = new Writer();
    w.tag(1, 2);
    w.string('v1');
    w.tag(99, 0);
    w.varint(5);
    w.tag(98, 2);
    w.string('x');
    w.tag(2, 2);
    w.string('Pod');
    expect(decodeMessage(schema, 'io.k8s.apimachinery.pkg.runtime.TypeMeta', w.finish())).toEqual({ apiVersion: 'v1', kind: 'Pod' });
  });
});
