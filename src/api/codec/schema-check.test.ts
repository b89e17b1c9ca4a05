import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { StatusError } from '../errors.js';
import { decodeJson } from './json-decode.js';
import { decodeYaml } from './yaml-decode.js';
import { checkAgainstSchema, type FieldValidation } from './schema-check.js';

const schema = loadSchema();
const POD = 'io.k8s.api.core.v1.Pod';

function check(text: string, mode: FieldValidation, typeName = POD, yaml = false) {
  const d = yaml ? decodeYaml(text) : decodeJson(text);
  const result = checkAgainstSchema(d.value, schema, typeName, mode, d.duplicates, { throw: false });
  return { obj: d.value as Record<string, any>, ...result };
}

const pod = (spec: object, metadata: object = { name: 'p' }) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata, spec });

describe('checkAgainstSchema: unknown and duplicate fields', () => {
  const text =
    '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a","name":"b","labels":{"x":"1","x":"2"}},' +
    '"spec":{"foo":1,"containers":[{"name":"c","image":"i","bar":{"baz":2}}]}}';

  it('Strict fails with upstream 400 text', () => {
    const r = check(text, 'Strict');
    expect(r.decodeError?.code).toBe(400);
    expect(r.decodeError?.reason).toBe('BadRequest');
    expect(r.decodeError?.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: duplicate field "metadata.name", duplicate field "metadata.labels.x", ' +
        'unknown field "spec.foo", unknown field "spec.containers[0].bar"',
    );
    expect(r.warnings).toEqual([]);
  });

  it('Strict throws by default', () => {
    const d = decodeJson(text);
    expect(() => checkAgainstSchema(d.value, schema, POD, 'Strict', d.duplicates)).toThrow(StatusError);
  });

  it('Warn returns one warning per field', () => {
    const r = check(text, 'Warn');
    expect(r.decodeError).toBeUndefined();
    expect(r.warnings).toEqual([
      'duplicate field "metadata.name"',
      'duplicate field "metadata.labels.x"',
      'unknown field "spec.foo"',
      'unknown field "spec.containers[0].bar"',
    ]);
  });

  it('Ignore says nothing', () => {
    const r = check(text, 'Ignore');
    expect(r.decodeError).toBeUndefined();
    expect(r.warnings).toEqual([]);
    expect(r.errors).toEqual([]);
  });

  it('always prunes unknown fields', () => {
    for (const mode of ['Strict', 'Warn', 'Ignore'] as const) {
      const r = check(text, mode);
      expect(r.obj.spec).toEqual({ containers: [{ name: 'c', image: 'i' }] });
    }
  });

  it('does not look inside free-form fields', () => {
    const cr = '{"apiVersion":"apps/v1","kind":"ControllerRevision","metadata":{"name":"r"},"revision":1,"data":{"x":1,"x":2,"any":{"thing":true}}}';
    const r = check(cr, 'Strict', 'io.k8s.api.apps.v1.ControllerRevision');
    expect(r.decodeError).toBeUndefined();
    expect(r.obj.data).toEqual({ x: 2, any: { thing: true } });
  });

  it('reports an unknown field once even when duplicated', () => {
    const r = check('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"foo":1,"foo":2}', 'Warn', 'io.k8s.api.core.v1.ConfigMap');
    expect(r.warnings).toEqual(['unknown field "foo"']);
  });

  it('YAML duplicates use go-yaml text', () => {
    const y = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  name: d\ndata:\n  a: "1"\nfoo: 1\n';
    const strict = check(y, 'Strict', 'io.k8s.api.core.v1.ConfigMap', true);
    expect(strict.decodeError?.message).toBe(
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: yaml: unmarshal errors:\n  line 5: key "name" already set in map, unknown field "foo"',
    );
    const warn = check(y, 'Warn', 'io.k8s.api.core.v1.ConfigMap', true);
    expect(warn.warnings).toEqual(['line 5: key "name" already set in map', 'unknown field "foo"']);
  });
});

describe('checkAgainstSchema: types', () => {
  const fails = (text: string, typeName = POD) => check(text, 'Ignore', typeName).decodeError?.message;

  it.each([
    [
      'a string for an int32',
      pod({ containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] }),
      'json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [
      'a float for an int32',
      pod({ containers: [{ name: 'c', ports: [{ containerPort: 80.5 }] }] }),
      'json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    [
      'an int32 out of range',
      pod({ containers: [{ name: 'c', ports: [{ containerPort: 3000000000 }] }] }),
      'json: cannot unmarshal number 3000000000 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ],
    ['an object for a list', pod({ containers: {} }), 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container'],
    ['a list for a struct', pod([]), 'json: cannot unmarshal array into Go struct field Pod.spec of type v1.PodSpec'],
    ['a number for a string', pod({ containers: [{ name: 5 }] }), 'json: cannot unmarshal number into Go struct field Container.spec.containers.name of type string'],
    ['a bool in a string list', pod({ containers: [{ name: 'c', args: [true] }] }), 'json: cannot unmarshal bool into Go struct field Container.spec.containers.args of type string'],
    ['a number in a string map', pod({ containers: [{ name: 'c' }] }, { name: 'p', labels: { a: 1 } }), 'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string'],
    ['a string for a bool', pod({ containers: [{ name: 'c', tty: 'yes' }] }), 'json: cannot unmarshal string into Go struct field Container.spec.containers.tty of type bool'],
    [
      'a float for an int-or-string',
      pod({ containers: [{ name: 'c', livenessProbe: { httpGet: { port: 1.5 } } }] }),
      'json: cannot unmarshal number 1.5 into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type int32',
    ],
    [
      'a bad quantity',
      pod({ containers: [{ name: 'c', resources: { limits: { cpu: '1 core' } } }] }),
      "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
    ],
    ['a bool quantity', pod({ containers: [{ name: 'c', resources: { limits: { cpu: true } } }] }), "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
    [
      'a bad time',
      pod({ containers: [{ name: 'c' }] }, { name: 'p', creationTimestamp: 'yesterday' }),
      'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"',
    ],
    [
      'a number for a time',
      pod({ containers: [{ name: 'c' }] }, { name: 'p', creationTimestamp: 5 }),
      'json: cannot unmarshal number into Go struct field ObjectMeta.metadata.creationTimestamp of type string',
    ],
  ])('%s → 400', (_name, text, message) => {
    expect(fails(text)).toBe(`Pod in version "v1" cannot be handled as a Pod: ${message}`);
  });

  it('checks base64 data', () => {
    const s = '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"a":"dg==","b":"d"}}';
    expect(fails(s, 'io.k8s.api.core.v1.Secret')).toBe('Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 0');
  });

  it('gives FieldErrors with the field path', () => {
    const r = check(pod({ containers: [{ name: 'c', ports: [{ containerPort: '80' }] }] }), 'Ignore');
    expect(r.errors.map(String)).toEqual([
      'spec.containers[0].ports[0].containerPort: Invalid value: "80": json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32',
    ]);
    expect(r.errors[0]?.type).toBe('FieldValueTypeInvalid');
  });

  it('accepts what Go accepts', () => {
    const ok = pod({
      containers: [
        {
          name: 'c',
          image: 'i',
          ports: [{ containerPort: 80, hostPort: null }],
          resources: { limits: { cpu: 0.5, memory: ' 1Gi ' }, requests: { cpu: '1e3' } },
          livenessProbe: { httpGet: { port: 'http' }, tcpSocket: { port: 8080 } },
        },
      ],
      activeDeadlineSeconds: 9007199254740991,
    }, { name: 'p', creationTimestamp: null, deletionTimestamp: '2024-01-01T10:00:00.5+02:00', managedFields: [{ fieldsV1: { 'f:x': {} } }] });
    const r = check(ok, 'Strict');
    expect(r.decodeError).toBeUndefined();
    expect(r.errors).toEqual([]);
  });
});

describe('checkAgainstSchema: required', () => {
  it('reports missing required fields outside status', () => {
    const r = check(pod({ containers: [{ image: 'i', ports: [{}] }] }), 'Strict');
    expect(r.decodeError).toBeUndefined();
    expect(r.errors.map(String)).toEqual(['spec.containers[0].ports[0].containerPort: Required value', 'spec.containers[0].name: Required value']);
  });

  it('leaves status alone and can be turned off', () => {
    const text = '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c"}]},"status":{"containerStatuses":[{"name":"c"}]}}';
    expect(check(text, 'Strict').errors).toEqual([]);
    const d = decodeJson(pod({ containers: [{}] }));
    expect(checkAgainstSchema(d.value, schema, POD, 'Strict', d.duplicates, { required: false }).errors).toEqual([]);
  });
});
