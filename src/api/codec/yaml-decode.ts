// application/yaml and application/apply-patch+yaml bodies, read as upstream's sigs.k8s.io/yaml
// (go-yaml v2, YAML 1.1) reads them: yes/no/on/off are booleans, 0777 is octal, the first document
// only, later duplicate keys win. Duplicates are also reported, with upstream's strict text
// (`yaml: unmarshal errors:\n  line 3: key "a" already set in map`).
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import { DecodeError, transformDecodeError } from './decode-error.js';
import { makeDuplicates, type PathSegment } from './duplicates.js';
import type { DecodeOptions, DecodeResult } from './json-decode.js';

const YAML_OPTIONS = {
  version: '1.1' as const,
  uniqueKeys: false,
  merge: true,
  maxAliasCount: 100,
  // go-yaml v2 has no sexagesimal numbers; timestamps stay strings (RFC3339 ones read the same).
  customTags: (tags: unknown[]) =>
    tags.filter((t) => {
      const tag = t as { tag?: string; format?: string };
      return tag.format !== 'TIME' && tag.tag !== 'tag:yaml.org,2002:timestamp';
    }) as never,
};

/** Parses a YAML body; malformed → DecodeError (400 BadRequest). */
export function decodeYaml(text: string, opts: DecodeOptions = {}): DecodeResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const doc = Array.isArray(docs) ? docs[0] : undefined;
  if (!doc) return { value: null, duplicates: [] };
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0].line ?? lineCounter.linePos(err.pos[0]).line;
    const first = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const cause = `yaml: line ${line}: ${first.charAt(0).toLowerCase()}${first.slice(1)}`;
    if (opts.into) throw transformDecodeError(cause, { into: opts.into, body: text });
    throw new DecodeError(cause, cause);
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100, reviver: (_k: unknown, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : v) });
  } catch (e) {
    const cause = `yaml: ${(e as Error).message}`;
    throw new DecodeError(cause, cause);
  }
  const segments: PathSegment[][] = [];
  const lines: string[] = [];
  findDuplicates(doc.contents as Node | null, [], segments, lines, lineCounter);
  const yamlError = lines.length ? `yaml: unmarshal errors:\n  ${lines.join('\n  ')}` : undefined;
  const result: DecodeResult = { value: value ?? null, duplicates: makeDuplicates(segments, yamlError) };
  if (yamlError) result.yamlError = yamlError;
  return result;
}

function findDuplicates(node: Node | null, path: PathSegment[], out: PathSegment[][], lines: string[], lc: LineCounter): void {
  if (!node || isAlias(node)) return;
  if (isSeq(node)) {
    node.items.forEach((item, i) => findDuplicates(item as Node, [...path, i], out, lines, lc));
    return;
  }
  if (!isMap(node)) return;
  const seen = new Set<string>();
  for (const pair of node.items) {
    const key = pair.key as Node | null;
    if (!isScalar(key)) continue;
    const k = key.value;
    if (k === '<<' && key.type === 'PLAIN') continue;
    const id = `${typeof k}:${String(k)}`;
    const name = String(k);
    if (seen.has(id)) {
      out.push([...path, name]);
      const line = key.range ? lc.linePos(key.range[0]).line : 0;
      lines.push(`line ${line}: key ${typeof k === 'string' ? JSON.stringify(k) : String(k)} already set in map`);
    }
    seen.add(id);
    findDuplicates(pair.value as Node | null, [...path, name], out, lines, lc);
  }
}
