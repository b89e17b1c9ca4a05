// PUT of an object or its status: optimistic concurrency on metadata.resourceVersion.
import { apiVersionOf } from '../../api/registry/registry.js';
import { updateManagedFields } from '../patch/index.js';
import { readBody } from '../http/body.js';
import { addWarnings, writeJson } from '../http/respond.js';
import { decodeObject } from './decode.js';
import { admitMutating, asRequested, managerName, writtenBody, validatingAdmission, writeOptions, type Scope } from './scope.js';

export async function handleUpdate(scope: Scope): Promise<void> {
  const opts = writeOptions(scope.query);
  const body = await readBody(scope.req);
  const obj = decodeObject(scope, body, opts);
  const r = scope.resource;
  const subresource = scope.info.subresource;
  const { obj: updated, created } = await scope.rstore.update(
    scope.info.namespace,
    scope.info.name,
    async (old) => {
      const next = structuredClone(obj);
      next.metadata ??= {};
      if (old) await admitMutating(scope, 'UPDATE', next, old, opts.dryRun);
      next.metadata.managedFields = updateManagedFields({
        old: old && asRequested(scope, old), updated: asRequested(scope, next), manager: managerName(scope, opts), operation: 'Update', subresource: subresource || undefined,
        apiVersion: apiVersionOf(r.group, r.version), now: scope.ctx.clock.now(), schema: scope.ctx.schema, typeName: r.typeName,
      });
      return next;
    },
    { dryRun: opts.dryRun, subresource, admit: validatingAdmission(scope, 'UPDATE', opts.dryRun) },
  );
  addWarnings(scope.res, scope.warnings);
  writeJson(scope.req, scope.res, created ? 201 : 200, writtenBody(scope, updated));
}
