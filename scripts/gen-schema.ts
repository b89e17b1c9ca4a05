// Generates src/api/generated/schema.json — k8ts' own compact schema of the Kubernetes API —
// from the upstream OpenAPI v2 definition and the generated.proto files in ../shared/reference.
// Only facts are kept (names, types, formats, required, list/map semantics, patch strategies,
// GVKs, resources and verbs, protobuf field numbers); descriptions are dropped.
//
//   npx tsx scripts/gen-schema.ts [--check]     (--check: exit 1 if the committed file differs)
import { readFileSync, writeFileSync, readdirSync, statSync, existsSync, mkdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FieldSchema, TypeSchema, ResourceSchema, GeneratedSchema, ProtoField } from '../src/api/schema/types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const referenceDir = process.env.K8TS_REFERENCE_DIR ?? resolve(root, '../shared/reference');
export const outputPath = join(root, 'src/api/generated/schema.json');

/** Group-versions k8ts serves; everything else in the definition is left out. */
const SERVED = new Set([
  '/v1', 'apps/v1', 'batch/v1', 'autoscaling/v1', 'autoscaling/v2', 'networking.k8s.io/v1', 'policy/v1',
  'rbac.authorization.k8s.io/v1', 'storage.k8s.io/v1', 'coordination.k8s.io/v1', 'discovery.k8s.io/v1',
  'events.k8s.io/v1', 'scheduling.k8s.io/v1', 'node.k8s.io/v1', 'apiextensions.k8s.io/v1',
  'admissionregistration.k8s.io/v1', 'certificates.k8s.io/v1', 'authorization.k8s.io/v1', 'authentication.k8s.io/v1',
]);

type Json = Record<string, any>;

const ACTION_VERBS: Record<string, string> = {
  get: 'get', list: 'list', post: 'create', put: 'update', patch: 'patch', delete: 'delete',
  deletecollection: 'deletecollection', watch: 'watch', watchlist: 'watch',
};
const VERB_ORDER = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function shortRef(ref: string): string {
  return ref.replace('#/definitions/', '');
}

function field(p: Json): FieldSchema {
  const f: FieldSchema = {};
  if (p.$ref) f.ref = shortRef(p.$ref);
  if (p.type) f.type = p.type;
  if (p.format) f.format = p.format;
  if (p.items) f.items = field(p.items);
  if (p.additionalProperties) f.additionalProperties = field(p.additionalProperties);
  if (p['x-kubernetes-list-type']) f.listType = p['x-kubernetes-list-type'];
  if (p['x-kubernetes-list-map-keys']) f.listMapKeys = p['x-kubernetes-list-map-keys'];
  if (p['x-kubernetes-map-type']) f.mapType = p['x-kubernetes-map-type'];
  if (p['x-kubernetes-patch-strategy']) f.patchStrategy = p['x-kubernetes-patch-strategy'];
  if (p['x-kubernetes-patch-merge-key']) f.patchMergeKey = p['x-kubernetes-patch-merge-key'];
  return f;
}

// ---- protobuf ---------------------------------------------------------------------------------

interface ProtoMessage { pkg: string; name: string; fields: ProtoField[] }

function walk(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (n === 'generated.proto') out.push(p);
  }
  return out;
}

/** Upstream proto package `k8s.io.api.apps.v1` ↔ OpenAPI prefix `io.k8s.api.apps.v1`. */
function protoToDefName(full: string): string {
  const n = full.replace(/^\./, '');
  return n.startsWith('k8s.io.') ? 'io.k8s.' + n.slice('k8s.io.'.length) : n;
}

const SCALARS = new Set(['string', 'bool', 'int32', 'int64', 'bytes', 'double', 'float', 'uint32', 'uint64']);

function resolveProtoType(t: string, pkg: string): string {
  if (SCALARS.has(t)) return t;
  return protoToDefName(t.startsWith('.') ? t : `${pkg}.${t}`);
}

function parseProto(text: string): ProtoMessage[] {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const pkg = /package\s+([\w.]+)\s*;/.exec(src)?.[1] ?? '';
  const out: ProtoMessage[] = [];
  const msgRe = /message\s+(\w+)\s*\{([^{}]*)\}/g;
  for (let m; (m = msgRe.exec(src)); ) {
    const fields: ProtoField[] = [];
    const fieldRe = /(optional|repeated)?\s*(map<\s*([\w.]+)\s*,\s*([\w.]+)\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;/g;
    for (let f; (f = fieldRe.exec(m[2])); ) {
      const [, label, type, mk, mv, name, num] = f;
      if (mk) fields.push({ name, n: Number(num), t: 'map', key: resolveProtoType(mk, pkg), value: resolveProtoType(mv, pkg) });
      else fields.push({ name, n: Number(num), t: resolveProtoType(type, pkg), ...(label === 'repeated' ? { repeated: true } : {}) });
    }
    out.push({ pkg, name: m[1], fields });
  }
  return out;
}

/**
 * Links each proto field to its JSON property: most share the name; some differ in case
 * (`Webhooks`); Go's embedded structs (`LocalObjectReference`, `VolumeSource`, `ProbeHandler`…)
 * are one proto message field whose own fields sit inline in the JSON object.
 */
function matchProtoToJson(t: TypeSchema, messages: Map<string, ProtoMessage>): void {
  const props = t.properties!;
  const lower = new Map(Object.keys(props).map((k) => [k.toLowerCase(), k]));
  for (const f of t.proto!) {
    if (props[f.name]) continue;
    const ci = lower.get(f.name.toLowerCase());
    if (ci) {
      f.json = ci;
      continue;
    }
    const inner = messages.get(f.t);
    if (inner && !f.repeated) f.inline = true;
  }
}

// ---- resources from paths ---------------------------------------------------------------------

function resources(paths: Json): ResourceSchema[] {
  const byKey = new Map<string, ResourceSchema>();
  for (const [path, ops] of Object.entries<Json>(paths)) {
    const m = /^\/(?:api|apis\/([^/]+))\/(v[^/]+)\/(watch\/)?(namespaces\/\{namespace\}\/)?([^/{]+)(\/\{name\})?(?:\/([^/{]+))?$/.exec(path);
    if (!m) continue;
    const [, group = '', version, , ns, resource, named, sub] = m;
    if (!SERVED.has(`${group}/${version}`)) continue;
    // `/api/v1/namespaces/{namespace}` itself is the namespaces resource, not a namespaced one.
    if (!ns && resource === 'namespaces' && !named && sub) continue;
    for (const [method, op] of Object.entries<Json>(ops)) {
      if (method === 'parameters') continue;
      const gvk = op['x-kubernetes-group-version-kind'];
      const action: string = op['x-kubernetes-action'];
      if (!gvk || !action) continue;
      const key = `${group}/${version}/${resource}`;
      let r = byKey.get(key);
      if (!sub) {
        if (!r) {
          r = { group, version, resource, kind: '', namespaced: false, verbs: [], subresources: [] };
          byKey.set(key, r);
        }
        if (!r.kind) r.kind = gvk.kind;
        if (ns) r.namespaced = true;
        const verb = ACTION_VERBS[action];
        if (verb && !r.verbs.includes(verb)) r.verbs.push(verb);
      } else {
        if (!r) {
          r = { group, version, resource, kind: '', namespaced: false, verbs: [], subresources: [] };
          byKey.set(key, r);
        }
        if (ns) r.namespaced = true;
        let s = r.subresources.find((x) => x.name === sub);
        if (!s) {
          s = { name: sub, group: gvk.group, version: gvk.version, kind: gvk.kind, verbs: [] };
          r.subresources.push(s);
        }
        const verb = action === 'connect' ? ({ get: 'get', post: 'create', put: 'update', patch: 'patch', delete: 'delete' } as Record<string, string>)[method] : ACTION_VERBS[action];
        if (verb && !s.verbs.includes(verb)) s.verbs.push(verb);
      }
    }
  }
  const out = [...byKey.values()].filter((r) => r.kind);
  for (const r of out) {
    r.verbs.sort((a, b) => VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b));
    for (const s of r.subresources) s.verbs.sort((a, b) => VERB_ORDER.indexOf(a) - VERB_ORDER.indexOf(b));
    r.subresources.sort((a, b) => a.name.localeCompare(b.name));
  }
  return out.sort((a, b) => `${a.group}/${a.version}/${a.resource}`.localeCompare(`${b.group}/${b.version}/${b.resource}`));
}

// ---- assembly ---------------------------------------------------------------------------------

/** The definitions reachable from the served kinds (plus meta types the machinery needs). */
function reachable(defs: Json, seeds: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name) || !defs[name]) return;
    seen.add(name);
    const scan = (p: Json) => {
      if (p.$ref) visit(shortRef(p.$ref));
      if (p.items) scan(p.items);
      if (p.additionalProperties && typeof p.additionalProperties === 'object') scan(p.additionalProperties);
    };
    for (const p of Object.values<Json>(defs[name].properties ?? {})) scan(p);
  };
  seeds.forEach(visit);
  return seen;
}

export function generate(): GeneratedSchema {
  const swagger = JSON.parse(readFileSync(join(referenceDir, 'openapi/kubernetes-v1.35.0-swagger.json'), 'utf8'));
  const defs: Json = swagger.definitions;
  const res = resources(swagger.paths);

  const seeds = Object.keys(defs).filter((n) => {
    const g: Json[] | undefined = defs[n]['x-kubernetes-group-version-kind'];
    return g?.some((x) => SERVED.has(`${x.group}/${x.version}`)) || n.startsWith('io.k8s.apimachinery.');
  });
  const keep = reachable(defs, seeds);

  const protoMessages = new Map<string, ProtoMessage>();
  for (const file of walk(join(referenceDir, 'proto/k8s.io'))) {
    for (const msg of parseProto(readFileSync(file, 'utf8'))) protoMessages.set(protoToDefName(`${msg.pkg}.${msg.name}`), msg);
  }

  const types: Record<string, TypeSchema> = {};
  for (const name of [...keep].sort()) {
    const d = defs[name];
    const t: TypeSchema = {};
    if (d.type) t.type = d.type;
    if (d.format) t.format = d.format;
    if (d['x-kubernetes-group-version-kind']) {
      t.gvk = d['x-kubernetes-group-version-kind'].map((x: Json) => ({ group: x.group, version: x.version, kind: x.kind }));
    }
    if (d.required?.length) t.required = [...d.required];
    if (d['x-kubernetes-map-type']) t.mapType = d['x-kubernetes-map-type'];
    if (d['x-kubernetes-unions']) t.unions = d['x-kubernetes-unions'];
    if (d.properties) {
      t.properties = {};
      for (const pn of Object.keys(d.properties).sort()) t.properties[pn] = field(d.properties[pn]);
    }
    const msg = protoMessages.get(name);
    if (msg) t.proto = msg.fields.map((f) => ({ ...f }));
    types[name] = t;
  }
  for (const t of Object.values(types)) if (t.properties && t.proto) matchProtoToJson(t, protoMessages);
  // Proto-only messages the codec needs (the runtime.Unknown envelope and its parts, ExtraValue…).
  for (const [name, msg] of [...protoMessages].sort(([a], [b]) => a.localeCompare(b))) {
    if (types[name] || !name.startsWith('io.k8s.')) continue;
    const used = [...Object.values(types)].some((t) => t.proto?.some((f) => f.t === name || f.value === name));
    if (used || name === 'io.k8s.apimachinery.pkg.runtime.Unknown' || name === 'io.k8s.apimachinery.pkg.runtime.TypeMeta') {
      types[name] = { protoOnly: true, proto: msg.fields };
    }
  }
  return { version: swagger.info?.version ?? 'v1.35.0', types, resources: res };
}

export function render(schema: GeneratedSchema): string {
  return JSON.stringify(schema) + '\n';
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(referenceDir)) {
    console.error(`reference definitions not found at ${referenceDir}`);
    process.exit(2);
  }
  const text = render(generate());
  if (process.argv.includes('--check')) {
    const same = existsSync(outputPath) && readFileSync(outputPath, 'utf8') === text;
    console.log(same ? 'schema.json is up to date' : 'schema.json differs from a fresh generation');
    process.exit(same ? 0 : 1);
  }
  mkdirSync(dirname(outputPath), { recursive: true });
  writeFileSync(outputPath, text);
  const s = JSON.parse(text) as GeneratedSchema;
  console.log(`wrote ${outputPath}: ${Object.keys(s.types).length} types, ${s.resources.length} resources, ${text.length} bytes`);
}
