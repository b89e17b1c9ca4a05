// PUT namespaces/<name>/finalize: the namespace controller's way to clear spec.finalizers once a
// terminating namespace is empty; nothing else of the namespace changes.
import { errors } from '../../api/errors.js';
import { readBody } from '../http/body.js';
import { writeJson } from '../http/respond.js';
import { parseBody } from './decode.js';
import { toExternal, writeOptions, type Scope } from './scope.js';

export async function handleNamespaceFinalize(scope: Scope): Promise<void> {
  if (scope.info.verb !== 'update') throw errors.methodNotSupported('', 'namespaces/finalize', scope.info.verb);
  const opts = writeOptions(scope.query);
  const body = parseBody(scope, await readBody(scope.req)).obj;
  const finalizers = body.spec?.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== 'string')) throw errors.badRequest('spec.finalizers must be a list of strings');
  const { obj } = await scope.rstore.update(
    '',
    scope.info.name,
    async (old) => {
      const ns = old!;
      const rv = body.metadata?.resourceVersion;
      if (rv) ns.metadata!.resourceVersion = rv;
      ns.spec = { ...ns.spec, finalizers };
      if (!finalizers.length) delete ns.spec.finalizers;
      return ns;
    },
    { dryRun: opts.dryRun, subresource: 'finalize' },
  );
  writeJson(scope.req, scope.res, 200, toExternal(scope, obj));
}
