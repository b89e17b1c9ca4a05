import { describe, expect, it } from 'vitest';
import { validateObjectMeta, validateObjectMetaUpdate } from './object-meta.js';

const strs = (errs: { toString(): string }[]) => errs.map(String);

describe('validateObjectMeta', () => {
  it.each([
    ['valid', { name: 'web', namespace: 'default' }, { namespaced: true }, []],
    ['name required', { namespace: 'default' }, { namespaced: true }, ['metadata.name: Required value: name or generateName is required']],
    ['namespace required', { name: 'web' }, { namespaced: true }, ['metadata.namespace: Required value']],
    ['namespace forbidden', { name: 'web', namespace: 'x' }, { namespaced: false }, ['metadata.namespace: Forbidden: not allowed on this type']],
    ['label name rule', { name: 'a.b' }, { nameRule: 'label' as const }, ['metadata.name: Invalid value: "a.b": must not contain dots']],
    ['path-segment rule', { name: 'system:node:x' }, { nameRule: 'path-segment' as const }, []],
    ['bad label value', { name: 'web', labels: { app: 'a b' } }, {}, [
      'metadata.labels: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, \'-\', \'_\' or \'.\', and must start and end with an alphanumeric character (e.g. \'MyValue\',  or \'my_value\',  or \'12345\', regex used for validation is \'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?\')',
    ]],
    ['unqualified finalizer', { name: 'web', finalizers: ['custom'] }, {}, [
      'metadata.finalizers[0]: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified',
    ]],
    ['standard finalizer', { name: 'web', finalizers: ['kubernetes', 'example.com/f'] }, {}, []],
    ['both GC finalizers', { name: 'web', finalizers: ['orphan', 'foregroundDeletion'] }, {}, [
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]],
  ])('%s', (_n, meta, opts, want) => {
    expect(strs(validateObjectMeta(meta, opts))).toEqual(want);
  });

  it('limits annotations to 256 KiB in total', () => {
    const errs = validateObjectMeta({ name: 'web', annotations: { big: 'x'.repeat(262145) } });
    expect(strs(errs)).toEqual(['metadata.annotations: Too long: may not be more than 262144 bytes']);
  });

  it('checks owner references and allows one controller', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'a', uid: '1', controller: true };
    const errs = validateObjectMeta({ name: 'web', ownerReferences: [ref, { ...ref, name: 'b' }, { kind: 'X' }] });
    expect(strs(errs)).toEqual([
      expect.stringMatching(/^metadata\.ownerReferences: Invalid value: \[.*\]: Only one reference can have Controller set to true\. Found "true" in references for ReplicaSet\/a and ReplicaSet\/b$/),
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
  });

  it('validates a generateName prefix', () => {
    expect(strs(validateObjectMeta({ generateName: 'Web-', name: 'Web-abcde' }))).toEqual([
      expect.stringMatching(/^metadata\.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain/),
      expect.stringMatching(/^metadata\.name: Invalid value: "Web-abcde": a lowercase RFC 1123 subdomain/),
    ]);
  });
});

describe('validateObjectMetaUpdate', () => {
  const old = { name: 'web', namespace: 'default', uid: 'u1', creationTimestamp: '2024-01-01T00:00:00Z' };
  it.each([
    ['unchanged', { ...old }, []],
    ['uid omitted (backfilled)', { name: 'web', namespace: 'default' }, []],
    ['name changed', { ...old, name: 'other' }, ['metadata.name: Invalid value: "other": field is immutable']],
    ['namespace changed', { ...old, namespace: 'x' }, ['metadata.namespace: Invalid value: "x": field is immutable']],
    ['uid changed', { ...old, uid: 'u2' }, ['metadata.uid: Invalid value: "u2": field is immutable']],
    ['deletion invented', { ...old, deletionTimestamp: '2024-01-02T00:00:00Z' }, [
      'metadata.deletionTimestamp: Invalid value: "2024-01-02T00:00:00Z": field is immutable',
    ]],
  ])('%s', (_n, meta, want) => {
    expect(strs(validateObjectMetaUpdate(meta, old))).toEqual(want);
  });

  it('refuses new finalizers on an object being deleted', () => {
    const deleting = { ...old, deletionTimestamp: 't', finalizers: ['a.io/x'] };
    expect(strs(validateObjectMetaUpdate({ ...deleting, finalizers: ['a.io/x', 'b.io/y'] }, deleting))).toEqual([
      'metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b.io/y"}',
    ]);
  });
});
