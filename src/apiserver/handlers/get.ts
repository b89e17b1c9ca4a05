// GET of one object (or of its status subresource, which answers the whole object).
import { errors } from '../../api/errors.js';
import { parseAccept } from '../http/negotiate.js';
import { writeJson } from '../http/respond.js';
import { renderTable, tableOptions } from './table.js';
import { toExternal, type Scope } from './scope.js';

export async function handleGet(scope: Scope): Promise<void> {
  const accept = parseAccept(scope.req.headers.accept as string | undefined);
  if (!accept.ok && !accept.table) throw errors.notAcceptable('only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io');
  const e = await scope.rstore.get(scope.info.namespace, scope.info.name);
  if (accept.table) {
    writeJson(scope.req, scope.res, 200, renderTable(scope, [e.obj], { ...tableOptions(scope.query), rv: e.rv }));
    return;
  }
  if (e.obj.apiVersion === undefined || scope.resource.storageVersion !== scope.resource.version || scope.resource.storageGroup !== scope.resource.group) {
    writeJson(scope.req, scope.res, 200, toExternal(scope, structuredClone(e.obj)));
    return;
  }
  writeJson(scope.req, scope.res, 200, e.json);
}
