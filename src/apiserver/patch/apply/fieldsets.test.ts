import { describe, expect, it } from 'vitest';
import { loadSchema } from '../../../api/schema/index.js';
import { FieldSet, parsePeKey, pathString, peCompare, peKey, type PathElement } from './fieldsets.js';
import { Shapes } from './shape.js';
import { Typed } from './typed.js';
import type { JsonObject } from '../json.js';

const schema = loadSchema();
const typed = new Typed(new Shapes(schema));
const DEPLOYMENT = 'io.k8s.api.apps.v1.Deployment';

/** managedFields of `kubectl create deployment nginx --image=nginx --port=80`, as kube-apiserver writes it. */
const KUBECTL_CREATE = String.raw`{"f:metadata":{"f:finalizers":{".":{},"v:\"example.com/a\"":{}},"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:progressDeadlineSeconds":{},"f:replicas":{},"f:revisionHistoryLimit":{},"f:selector":{},"f:strategy":{"f:rollingUpdate":{".":{},"f:maxSurge":{},"f:maxUnavailable":{}},"f:type":{}},"f:template":{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"nginx\"}":{".":{},"f:image":{},"f:imagePullPolicy":{},"f:name":{},"f:ports":{".":{},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:protocol":{}},"k:{\"containerPort\":443,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}},"f:resources":{},"f:terminationMessagePath":{},"f:terminationMessagePolicy":{}}},"f:dnsPolicy":{},"f:restartPolicy":{},"f:schedulerName":{},"f:securityContext":{},"f:terminationGracePeriodSeconds":{}}}}}`;

const f = (field: string): PathElement => ({ field });
const k = (...kv: [string, string | number][]): PathElement => ({ key: kv });

describe('FieldSet FieldsV1 encoding', () => {
  it('round-trips upstream managedFields byte for byte', () => {
    const set = FieldSet.fromFieldsV1(JSON.parse(KUBECTL_CREATE));
    expect(JSON.stringify(set.toFieldsV1())).toBe(KUBECTL_CREATE);
  });

  it('reads members, children and "." markers', () => {
    const set = FieldSet.fromFieldsV1(JSON.parse(KUBECTL_CREATE));
    expect(set.has([f('metadata'), f('labels')])).toBe(true); // "." marks the map itself
    expect(set.has([f('metadata'), f('labels'), f('app')])).toBe(true);
    expect(set.has([f('spec')])).toBe(false); // only a parent of owned fields
    expect(set.has([f('spec'), f('template'), f('spec'), f('containers'), k(['name', 'nginx'])])).toBe(true);
    expect(set.has([f('metadata'), f('finalizers'), { value: 'example.com/a' }])).toBe(true);
  });

  it('drops element types it does not know, as upstream does', () => {
    const set = FieldSet.fromFieldsV1({ 'f:a': {}, 'x:future': {} });
    expect(set.toFieldsV1()).toEqual({ 'f:a': {} });
  });

  it('orders elements as upstream: fields, keys, values, indexes; numbers numerically', () => {
    const pes: PathElement[] = [{ index: 0 }, { value: 'b' }, k(['port', 443]), { value: 1 }, f('z'), k(['port', 80]), f('a')];
    expect(pes.sort(peCompare).map(peKey)).toEqual(['f:a', 'f:z', 'k:{"port":80}', 'k:{"port":443}', 'v:1', 'v:"b"', 'i:0']);
  });

  it('writes keys and values as Go JSON (sorted fields, HTML escaped)', () => {
    expect(peKey(k(['protocol', 'TCP'], ['containerPort', 80]))).toBe('k:{"containerPort":80,"protocol":"TCP"}');
    expect(peKey({ value: 'a&b<c>' })).toBe('v:"a\\u0026b\\u003cc\\u003e"');
    expect(parsePeKey('k:{"protocol":"TCP","containerPort":80}')).toEqual(k(['containerPort', 80], ['protocol', 'TCP']));
  });

  it('prints paths as upstream does in conflicts', () => {
    expect(pathString([f('spec'), f('template'), f('spec'), f('containers'), k(['name', 'nginx']), f('image')])).toBe('.spec.template.spec.containers[name="nginx"].image');
    expect(pathString([f('spec'), f('ports'), k(['port', 80], ['protocol', 'TCP'])])).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(pathString([f('metadata'), f('finalizers'), { value: 'a' }])).toBe('.metadata.finalizers[="a"]');
    expect(pathString([f('spec'), f('args'), { index: 2 }])).toBe('.spec.args[2]');
  });
});

describe('FieldSet algebra', () => {
  const a = FieldSet.of([f('spec'), f('replicas')], [f('spec'), f('paused')], [f('metadata'), f('labels'), f('x')]);
  const b = FieldSet.of([f('spec'), f('replicas')], [f('spec'), f('minReadySeconds')]);
  const text = (s: FieldSet) => s.paths().map(pathString);

  it('union, difference, intersection', () => {
    expect(text(a.union(b))).toEqual(['.metadata.labels.x', '.spec.minReadySeconds', '.spec.paused', '.spec.replicas']);
    expect(text(a.difference(b))).toEqual(['.metadata.labels.x', '.spec.paused']);
    expect(text(a.intersection(b))).toEqual(['.spec.replicas']);
    expect(a.intersection(FieldSet.of([f('status')])).isEmpty()).toBe(true);
  });

  it('difference is path by path; recursiveDifference removes whole subtrees', () => {
    const prefix = FieldSet.of([f('spec')]);
    expect(text(a.difference(prefix))).toEqual(text(a));
    expect(text(a.recursiveDifference(prefix))).toEqual(['.metadata.labels.x']);
  });

  it('lists members before children at each level', () => {
    const s = FieldSet.of([f('spec'), f('template'), f('x')], [f('spec'), f('replicas')], [f('apiVersion')]);
    expect(text(s)).toEqual(['.apiVersion', '.spec.replicas', '.spec.template.x']);
  });
});

describe('the fields an object sets', () => {
  const applied: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx', labels: { app: 'nginx' }, annotations: {}, finalizers: ['example.com/a', 'example.com/a'] },
    spec: {
      replicas: null,
      selector: { matchLabels: { app: 'nginx' } },
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:1.25', command: ['nginx', '-g'], ports: [{ containerPort: 80 }], resources: {} }],
          nodeSelector: { disktype: 'ssd' },
          volumes: [],
        },
      },
    },
  };

  it('computes upstream field sets for a Deployment', () => {
    expect(typed.toFieldSet(applied, typed.shapes.root(DEPLOYMENT)).toFieldsV1()).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': {
        'f:annotations': {}, // an empty map is a leaf
        'f:finalizers': { 'v:"example.com/a"': {} }, // a duplicated set item is owned as a whole
        'f:labels': { 'f:app': {} },
        'f:name': {},
      },
      'f:spec': {
        'f:replicas': {}, // null is a value too
        'f:selector': {}, // LabelSelector is an atomic struct
        'f:template': {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': {
            'f:containers': {
              'k:{"name":"nginx"}': {
                '.': {},
                'f:command': {}, // atomic list
                'f:image': {},
                'f:name': {},
                'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } }, // protocol defaults to TCP in the key
                'f:resources': {},
              },
            },
            'f:nodeSelector': {}, // atomic map
          },
        },
      },
    });
  });

  it('treats objects of unknown type as deduced: maps granular, lists atomic', () => {
    const widget: JsonObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w', finalizers: ['a'] }, spec: { size: 1, tags: ['x'], nested: { a: 1 } } };
    expect(typed.toFieldSet(widget, typed.shapes.root(undefined)).toFieldsV1()).toEqual({
      'f:apiVersion': {},
      'f:kind': {},
      'f:metadata': { 'f:finalizers': { 'v:"a"': {} }, 'f:name': {} },
      'f:spec': { '.': {}, 'f:nested': { '.': {}, 'f:a': {} }, 'f:size': {}, 'f:tags': {} },
    });
  });
});
