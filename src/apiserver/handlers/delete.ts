// DELETE of one object or a collection, with DeleteOptions from the body or the query.
import { errors } from '../../api/errors.js';
import { apiVersionOf } from '../../api/registry/registry.js';
import type { DeleteOptions } from '../registry/resource-store.js';
import { readBody } from '../http/body.js';
import { writeJson, successStatus } from '../http/respond.js';
import { readList } from './list.js';
import { toExternal, validatingAdmission, writeOptions, type Scope } from './scope.js';
import { parseBody } from './decode.js';

/** Kinds whose immediate deletion answers the deleted object rather than a Status. */
const RETURNS_DELETED_OBJECT = new Set(['Pod', 'Service', 'Namespace']);

async function deleteOptions(scope: Scope): Promise<DeleteOptions> {
  const body = await readBody(scope.req);
  const o: Record<string, unknown> = body.length ? parseBody(scope, body).obj : {};
  if (o.kind !== undefined && o.kind !== 'DeleteOptions') throw errors.badRequest(`expected DeleteOptions, got ${String(o.kind)}`);
  const q = scope.query;
  const opts: DeleteOptions = {};
  const grace = o.gracePeriodSeconds ?? (q.get('gracePeriodSeconds') !== null ? Number(q.get('gracePeriodSeconds')) : undefined);
  if (grace !== undefined) {
    if (typeof grace !== 'number' || !Number.isInteger(grace)) throw errors.badRequest('gracePeriodSeconds must be an integer');
    opts.gracePeriodSeconds = grace;
  }
  const policy = o.propagationPolicy ?? q.get('propagationPolicy') ?? undefined;
  if (policy !== undefined) {
    if (policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
      throw errors.badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
    }
    opts.propagationPolicy = policy;
  }
  const orphan = o.orphanDependents ?? (q.get('orphanDependents') !== null ? q.get('orphanDependents') === 'true' : undefined);
  if (orphan !== undefined) {
    if (opts.propagationPolicy) throw errors.badRequest('orphanDependents: Invalid value: orphanDependents and propagationPolicy cannot both be set');
    opts.orphanDependents = Boolean(orphan);
  }
  if (o.preconditions && typeof o.preconditions === 'object') opts.preconditions = o.preconditions as DeleteOptions['preconditions'];
  const dry = (o.dryRun as string[] | undefined) ?? [];
  for (const d of dry) if (d !== 'All') throw errors.badRequest(`Invalid dry run value: ${d}`);
  if (dry.length) scope.query.set('dryRun', 'All');
  return opts;
}

export async function handleDelete(scope: Scope): Promise<void> {
  const opts = await deleteOptions(scope);
  const { dryRun } = writeOptions(scope.query);
  const r = scope.resource;
  const result = await scope.rstore.delete(scope.info.namespace, scope.info.name, opts, { dryRun, admit: validatingAdmission(scope, 'DELETE', dryRun) });
  if (!result.deleted || RETURNS_DELETED_OBJECT.has(r.kind)) {
    writeJson(scope.req, scope.res, 200, toExternal(scope, result.obj));
    return;
  }
  writeJson(scope.req, scope.res, 200, successStatus({ name: scope.info.name, group: r.group, kind: r.resource, uid: result.obj.metadata?.uid }));
}

export async function handleDeleteCollection(scope: Scope): Promise<void> {
  const opts = await deleteOptions(scope);
  const { dryRun } = writeOptions(scope.query);
  const r = scope.resource;
  const page = await readList(scope, scope.info.namespace);
  const items: unknown[] = [];
  for (const e of page.entries) {
    try {
      const res = await scope.rstore.delete(e.namespace, e.name, opts, { dryRun, admit: validatingAdmission(scope, 'DELETE', dryRun) });
      items.push(toExternal(scope, res.obj));
    } catch (err) {
      if ((err as { code?: number }).code !== 404) throw err;
    }
  }
  writeJson(scope.req, scope.res, 200, { kind: r.listKind, apiVersion: apiVersionOf(r.group, r.version), metadata: {}, items });
}
