import { describe, expect, it } from 'vitest';
import { loadSchema } from '../schema/index.js';
import { Registry } from '../registry/index.js';
import { buildOpenApiV2, servedOpenApiV2 } from './v2.js';

type Json = Record<string, any>;

const schema = loadSchema();
const registry = new Registry(schema);
const served = servedOpenApiV2(schema, registry);
const d: Json = JSON.parse(served.json);

describe('buildOpenApiV2', () => {
  it('is a Swagger 2.0 document, serialized once with its hash', () => {
    expect(d.swagger).toBe('2.0');
    expect(d.info.title).toBe('Kubernetes');
    expect(served.hash).toMatch(/^[0-9A-F]{128}$/);
    expect(buildOpenApiV2(schema, registry)).toEqual(d);
  });

  it('defines every served kind with its GVK in an array', () => {
    for (const r of registry.all) {
      expect(d.definitions[r.typeName]?.['x-kubernetes-group-version-kind'], r.kind).toContainEqual({ group: r.group, kind: r.kind, version: r.version });
    }
  });

  it('resolves every $ref to a definition', () => {
    const text = served.json;
    for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) expect(d.definitions[m[1]!], m[1]).toBeDefined();
  });

  it('has the operations of every group-version, PATCH with fieldValidation', () => {
    const item = d.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    expect(item.patch).toMatchObject({
      operationId: 'patchAppsV1NamespacedDeployment', 'x-kubernetes-action': 'patch',
      'x-kubernetes-group-version-kind': { group: 'apps', kind: 'Deployment', version: 'v1' },
      consumes: expect.arrayContaining(['application/strategic-merge-patch+json', 'application/apply-patch+yaml']),
    });
    const names = item.patch.parameters.map((p: Json) => p.name);
    expect(names).toEqual(['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
    expect(item.patch.parameters[0]).toEqual({ name: 'body', in: 'body', schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' }, required: true });
    expect(item.patch.responses['200'].schema).toEqual({ $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' });
    expect(d.paths['/api/v1/namespaces/{namespace}/pods'].post.parameters.map((p: Json) => p.name)).toEqual(['body', 'dryRun', 'fieldManager', 'fieldValidation']);
    for (const g of registry.groups) for (const v of g.versions) expect(d.paths[g.group ? `/apis/${g.group}/${v}/` : `/api/${v}/`]).toBeDefined();
    expect(d.paths['/apis/autoscaling/v1/namespaces/{namespace}/horizontalpodautoscalers']).toBeDefined();
    expect(d.paths['/version/'].get.operationId).toBe('getCodeVersion');
  });

  it('keeps Swagger 2.0 forms: IntOrString as a formatted string, $ref siblings inline', () => {
    expect(d.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toEqual({ type: 'string', format: 'int-or-string' });
    expect(d.definitions['io.k8s.apimachinery.pkg.api.resource.Quantity']).toEqual({ type: 'string' });
    expect(d.definitions['io.k8s.api.apps.v1.DeploymentSpec'].properties.strategy).toEqual({
      $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentStrategy', 'x-kubernetes-patch-strategy': 'retainKeys',
    });
  });
});
