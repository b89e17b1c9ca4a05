// PATCH: json-patch, merge-patch, strategic-merge-patch and server-side apply. The patch is
// applied to the object in the URL's version, then the result goes through the same checks as
// an update. Apply creates the object when it is absent.
import { errors } from '../../api/errors.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import { applyPatch, updateManagedFields } from '../patch/index.js';
import { readBody } from '../http/body.js';
import { mediaType } from '../http/negotiate.js';
import { addWarnings, writeJson } from '../http/respond.js';
import { checkDecoded } from './decode.js';
import { admitMutating, asRequested, managerName, toExternal, writtenBody, validatingAdmission, writeOptions, type Scope } from './scope.js';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export async function handlePatch(scope: Scope): Promise<void> {
  const opts = writeOptions(scope.query);
  const contentType = mediaType(scope.req.headers['content-type']);
  if (!PATCH_TYPES.includes(contentType)) {
    throw errors.unsupportedMediaType(contentType);
  }
  const isApply = contentType === 'application/apply-patch+yaml';
  const forceParam = scope.query.get('force');
  if (forceParam !== null && !isApply) throw errors.badRequest('force: Forbidden: may not be specified for non-apply patch');
  if (isApply && !opts.fieldManager) throw errors.badRequest('fieldManager: Required value: is required for apply patch');
  const force = forceParam === 'true';
  const body = await readBody(scope.req);
  if (body.length === 0) throw errors.badRequest('the body of the request was empty');
  const r = scope.resource;
  const apiVersion = apiVersionOf(r.group, r.version);
  const manager = managerName(scope, opts);
  const subresource = scope.info.subresource;

  const { obj, created } = await scope.rstore.update(
    scope.info.namespace,
    scope.info.name,
    async (old) => {
      if (!old && !isApply) throw errors.notFound(r.group, r.resource, scope.info.name);
      const live = old ? toExternal(scope, structuredClone(old)) : null;
      const patched = applyPatch({
        contentType, live, body, schema: scope.ctx.schema, typeName: r.typeName, manager, force, now: scope.ctx.clock.now(),
        apiVersion, kind: r.kind, subresource: subresource || undefined,
      });
      scope.warnings.length = 0;
      const next = checkDecoded(scope, patched, [], opts);
      if (old) await admitMutating(scope, 'UPDATE', next, old, opts.dryRun);
      else await admitMutating(scope, 'CREATE', next, undefined, opts.dryRun);
      if (!isApply) {
        next.metadata ??= {};
        next.metadata.managedFields = updateManagedFields({
          old: old && asRequested(scope, old), updated: asRequested(scope, next), manager, operation: 'Update', subresource: subresource || undefined,
          apiVersion, now: scope.ctx.clock.now(), schema: scope.ctx.schema, typeName: r.typeName,
        });
      }
      if (!old) next.metadata!.namespace = scope.info.namespace || undefined;
      return next;
    },
    {
      dryRun: opts.dryRun, subresource, allowCreate: isApply && !subresource,
      // An apply that creates the object is admitted as a CREATE (upstream's createValidation), so
      // NamespaceLifecycle refuses it in a missing or terminating namespace.
      admit: (obj, old) => validatingAdmission(scope, old ? 'UPDATE' : 'CREATE', opts.dryRun)(obj, old),
    },
  );
  addWarnings(scope.res, scope.warnings);
  writeJson(scope.req, scope.res, created ? 201 : 200, writtenBody(scope, obj));
}
