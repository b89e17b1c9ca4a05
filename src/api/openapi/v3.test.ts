import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { Registry } from '../registry/index.js';
import { buildOpenApiV3 } from './v3.js';

type Json = Record<string, any>;

const schema = loadSchema();
const registry = new Registry(schema);
const built = buildOpenApiV3(schema, registry);
const doc = (key: string): Json => JSON.parse(built.documents.get(key)!.json);
const gvKey = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

function operations(d: Json): { path: string; method: string; op: Json; pathParams: Json[] }[] {
  const out = [];
  for (const [path, item] of Object.entries<Json>(d.paths)) {
    for (const m of METHODS) if (item[m]) out.push({ path, method: m, op: item[m], pathParams: item.parameters ?? [] });
  }
  return out;
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

const paramNames = (o: { op: Json; pathParams: Json[] }) => [...o.pathParams, ...(o.op.parameters ?? [])].map((p: Json) => p.name);

describe('buildOpenApiV3', () => {
  it('lists one document per group-version, group, and the api/apis/version roots', () => {
    const keys = Object.keys(built.root.paths);
    for (const g of registry.groups) for (const v of g.versions) expect(keys).toContain(gvKey(g.group, v));
    expect(keys).toEqual(expect.arrayContaining(['api', 'apis', 'apis/apps', 'apis/autoscaling', 'version']));
    for (const [key, entry] of Object.entries(built.root.paths)) {
      expect(entry.serverRelativeURL).toBe(`/openapi/v3/${key}?hash=${built.documents.get(key)!.hash}`);
    }
    expect(JSON.parse(built.rootDocument.json)).toEqual(built.root);
  });

  it('writes OpenAPI 3.0 documents whose every $ref resolves inside the document', () => {
    for (const [key, served] of built.documents) {
      const d = JSON.parse(served.json);
      expect(d.openapi, key).toBe('3.0.0');
      for (const ref of refs(d)) {
        expect(ref.startsWith('#/components/schemas/'), ref).toBe(true);
        expect(d.components.schemas[ref.slice('#/components/schemas/'.length)], `${key}: ${ref}`).toBeDefined();
      }
    }
  });

  it('gives every served kind (and its list) a schema with its GVK in an array', () => {
    for (const r of registry.all) {
      const schemas = doc(gvKey(r.group, r.version)).components.schemas;
      const gvk = { group: r.group, kind: r.kind, version: r.version };
      expect(schemas[r.typeName]?.['x-kubernetes-group-version-kind'], `${r.group}/${r.version} ${r.kind}`).toContainEqual(gvk);
      if (r.verbs.includes('list')) {
        const list = Object.values<Json>(schemas).find((s) =>
          (s['x-kubernetes-group-version-kind'] ?? []).some((g: Json) => g.kind === r.listKind && g.group === r.group && g.version === r.version));
        expect(list, r.listKind).toBeDefined();
      }
    }
  });

  it('marks every resource operation with x-kubernetes-action and an object GVK', () => {
    for (const key of ['api/v1', 'apis/apps/v1', 'apis/batch/v1']) {
      for (const o of operations(doc(key))) {
        if (o.path.endsWith('/')) continue; // the discovery GET
        expect(o.op['x-kubernetes-action'], `${o.method} ${o.path}`).toMatch(/^(get|list|post|put|patch|delete|deletecollection|watch|watchlist|connect)$/);
        expect(o.op['x-kubernetes-group-version-kind']).toEqual({ group: expect.any(String), kind: expect.any(String), version: expect.any(String) });
      }
    }
  });

  it('gives every PATCH the apply/validation query parameters and the four patch content types', () => {
    let patches = 0;
    for (const [key, served] of built.documents) {
      for (const o of operations(JSON.parse(served.json))) {
        const names = paramNames(o);
        if (o.method === 'patch' && o.op['x-kubernetes-action'] === 'patch') {
          patches++;
          expect(names, `${key} ${o.path}`).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation', 'force']));
          expect(o.op.parameters.find((p: Json) => p.name === 'fieldValidation')).toEqual({ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } });
          expect(Object.keys(o.op.requestBody.content).sort()).toEqual([
            'application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json',
          ]);
        }
        if ((o.method === 'post' || o.method === 'put') && o.op['x-kubernetes-action'] !== 'connect') {
          expect(names, `${o.method} ${o.path}`).toEqual(expect.arrayContaining(['dryRun', 'fieldManager', 'fieldValidation']));
          expect(o.op.requestBody.required).toBe(true);
        }
      }
    }
    expect(patches).toBeGreaterThan(80);
  });

  it('has unique operation ids per document', () => {
    for (const [key, served] of built.documents) {
      const ids = operations(JSON.parse(served.json)).map((o) => o.op.operationId);
      expect(new Set(ids).size, key).toBe(ids.length);
    }
  });

  it('offers the pod paths kube-apiserver offers', () => {
    const d = doc('api/v1');
    const p = d.paths;
    const ns = '/api/v1/namespaces/{namespace}/pods';
    expect(Object.keys(p[ns])).toEqual(expect.arrayContaining(['get', 'post', 'delete', 'parameters']));
    expect(p[ns].get).toMatchObject({ operationId: 'listCoreV1NamespacedPod', 'x-kubernetes-action': 'list', tags: ['core_v1'] });
    expect(p[ns].get.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/io.k8s.api.core.v1.PodList' });
    expect(p[ns].delete['x-kubernetes-action']).toBe('deletecollection');
    expect(paramNames({ op: p[ns].get, pathParams: p[ns].parameters })).toEqual(expect.arrayContaining(['namespace', 'labelSelector', 'fieldSelector', 'limit', 'continue', 'watch', 'resourceVersion']));
    expect(Object.keys(p[`${ns}/{name}`])).toEqual(expect.arrayContaining(['get', 'put', 'patch', 'delete']));
    expect(p['/api/v1/pods'].get.operationId).toBe('listCoreV1PodForAllNamespaces');
    expect(p[`${ns}/{name}/status`].patch['x-kubernetes-group-version-kind']).toEqual({ group: '', kind: 'Pod', version: 'v1' });
    expect(p[`${ns}/{name}/exec`].get).toMatchObject({ 'x-kubernetes-action': 'connect', 'x-kubernetes-group-version-kind': { kind: 'PodExecOptions' } });
    expect(p[`${ns}/{name}/exec`].parameters.map((x: Json) => x.name)).toEqual(expect.arrayContaining(['command', 'container', 'stdin', 'tty']));
    expect(p[`${ns}/{name}/log`].get.responses['200'].content['text/plain'].schema).toEqual({ type: 'string' });
    expect(p[`${ns}/{name}/proxy/{path}`].head['x-kubernetes-action']).toBe('connect');
    expect(p['/api/v1/watch/namespaces/{namespace}/pods'].get['x-kubernetes-action']).toBe('watchlist');
    expect(p['/api/v1/namespaces/{name}/finalize'].put.operationId).toBe('replaceCoreV1NamespaceFinalize');
    expect(p['/api/v1/nodes/{name}'].get.operationId).toBe('readCoreV1Node');
    expect(p['/api/v1/'].get.responses['200'].content['application/json'].schema.$ref).toContain('APIResourceList');
  });

  it('puts the scale subresource under its autoscaling/v1 Scale kind, with Scale in the apps document', () => {
    const d = doc('apis/apps/v1');
    const scale = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    expect(scale.patch['x-kubernetes-group-version-kind']).toEqual({ group: 'autoscaling', kind: 'Scale', version: 'v1' });
    expect(scale.put.operationId).toBe('replaceAppsV1NamespacedDeploymentScale');
    expect(d.components.schemas['io.k8s.api.autoscaling.v1.Scale']['x-kubernetes-group-version-kind']).toEqual([{ group: 'autoscaling', kind: 'Scale', version: 'v1' }]);
  });

  it('restores list, map and patch extensions, wrapping references with siblings in allOf', () => {
    const s = doc('apis/apps/v1').components.schemas;
    expect(s['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy).toEqual({
      allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentStrategy' }], 'x-kubernetes-patch-strategy': 'retainKeys',
    });
    expect(s['io.k8s.api.apps.v1.DeploymentSpec'].required).toEqual(['selector', 'template']);
    expect(s['io.k8s.api.core.v1.PodSpec'].properties.containers).toEqual({
      type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' },
      'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge',
    });
    expect(s['io.k8s.api.core.v1.PodSpec'].properties.nodeSelector).toMatchObject({ type: 'object', additionalProperties: { type: 'string' }, 'x-kubernetes-map-type': 'atomic' });
    expect(s['io.k8s.api.apps.v1.DeploymentStatus'].properties.replicas).toEqual({ type: 'integer', format: 'int32' });
    expect(s['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ format: 'int-or-string', 'x-kubernetes-int-or-string': true });
    expect(s['io.k8s.apimachinery.pkg.apis.meta.v1.Time']).toEqual({ type: 'string', format: 'date-time' });
    expect(s['io.k8s.api.core.v1.SeccompProfile']['x-kubernetes-unions']).toBeDefined();
  });

  it('carries no upstream descriptions in schemas', () => {
    const described = (value: unknown): boolean =>
      Array.isArray(value) ? value.some(described)
        : !!value && typeof value === 'object' && Object.entries(value).some(([k, v]) => (k === 'description' && typeof v === 'string') || described(v));
    for (const [key, served] of built.documents) expect(described(JSON.parse(served.json).components.schemas), key).toBe(false);
  });
});
