// The scale subresource (autoscaling/v1 Scale) of Deployments, ReplicaSets, StatefulSets and
// ReplicationControllers: spec.replicas in, status.replicas and the selector string out.
import type { KObject } from '../../api/strategies/types.js';
import { errors, field } from '../../api/errors.js';
import { selectorString } from '../../api/selectors/label-selector.js';
import { applyPatch } from '../patch/index.js';
import { readBody } from '../http/body.js';
import { mediaType } from '../http/negotiate.js';
import { writeJson } from '../http/respond.js';
import { parseBody } from './decode.js';
import { validatingAdmission, writeOptions, type Scope } from './scope.js';
import { PATCH_TYPES } from './patch.js';

const SCALE_TYPE = 'io.k8s.api.autoscaling.v1.Scale';

export function toScale(obj: KObject): KObject {
  const m = obj.metadata ?? {};
  const sel = obj.spec?.selector;
  // ReplicationControllers carry a plain map selector; the others a LabelSelector.
  const selector = !sel ? '' : sel.matchLabels || sel.matchExpressions ? selectorString(sel) : selectorString({ matchLabels: sel });
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: obj.spec?.replicas ?? 0 },
    status: { replicas: obj.status?.replicas ?? 0, ...(selector ? { selector } : {}) },
  };
}

export async function handleScale(scope: Scope): Promise<void> {
  const verb = scope.info.verb;
  if (verb === 'get') {
    const e = await scope.rstore.get(scope.info.namespace, scope.info.name);
    writeJson(scope.req, scope.res, 200, toScale(e.obj));
    return;
  }
  if (verb !== 'update' && verb !== 'patch') throw errors.methodNotSupported(scope.resource.group, `${scope.resource.resource}/scale`, verb);
  const opts = writeOptions(scope.query);
  const body = await readBody(scope.req);
  const contentType = mediaType(scope.req.headers['content-type']);
  if (verb === 'patch' && !PATCH_TYPES.includes(contentType)) throw errors.unsupportedMediaType(contentType);
  const { obj } = await scope.rstore.update(
    scope.info.namespace,
    scope.info.name,
    async (old) => {
      const current = toScale(old!);
      let scale: KObject;
      if (verb === 'update') {
        scale = parseBody(scope, body).obj;
        if (scale.kind && scale.kind !== 'Scale') throw errors.badRequest(`the kind of the object (${scale.kind}) does not match the expected kind (Scale)`);
      } else {
        scale = applyPatch({
          contentType, live: current, body, schema: scope.ctx.schema, typeName: SCALE_TYPE, manager: opts.fieldManager ?? 'unknown',
          force: scope.query.get('force') === 'true', now: scope.ctx.clock.now(), apiVersion: 'autoscaling/v1', kind: 'Scale',
        });
      }
      const replicas = scale.spec?.replicas;
      if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 0)) {
        throw errors.invalid('autoscaling', 'Scale', scope.info.name, [field.invalid('spec.replicas', replicas, 'must be greater than or equal to 0')]);
      }
      const next = structuredClone(old!);
      const rv = scale.metadata?.resourceVersion;
      if (rv) next.metadata!.resourceVersion = rv;
      next.spec = { ...next.spec, replicas: replicas ?? 0 };
      return next;
    },
    { dryRun: opts.dryRun, subresource: '', admit: validatingAdmission(scope, 'UPDATE', opts.dryRun) },
  );
  writeJson(scope.req, scope.res, 200, toScale(obj));
}
