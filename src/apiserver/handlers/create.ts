// POST on a collection: decode, mutate (admission), record managed fields, then the object
// layer fills metadata, validates, runs validating admission and stores.
import { apiVersionOf } from '../../api/registry/registry.js';
import { updateManagedFields } from '../patch/index.js';
import { readBody } from '../http/body.js';
import { addWarnings, writeJson } from '../http/respond.js';
import { decodeObject } from './decode.js';
import { admitMutating, asRequested, managerName, writtenBody, validatingAdmission, writeOptions, type Scope } from './scope.js';

export async function handleCreate(scope: Scope): Promise<void> {
  const opts = writeOptions(scope.query);
  const body = await readBody(scope.req);
  const obj = decodeObject(scope, body, opts);
  await admitMutating(scope, 'CREATE', obj, undefined, opts.dryRun);
  const r = scope.resource;
  obj.metadata ??= {};
  obj.metadata.managedFields = updateManagedFields({
    old: undefined, updated: asRequested(scope, obj), manager: managerName(scope, opts), operation: 'Update',
    apiVersion: apiVersionOf(r.group, r.version), now: scope.ctx.clock.now(), schema: scope.ctx.schema, typeName: r.typeName,
  });
  const created = await scope.rstore.create(scope.info.namespace, obj, { dryRun: opts.dryRun, admit: validatingAdmission(scope, 'CREATE', opts.dryRun) });
  addWarnings(scope.res, scope.warnings);
  writeJson(scope.req, scope.res, 201, writtenBody(scope, created));
}
