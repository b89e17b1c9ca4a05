// Duplicate fields found while decoding a body. Decoders return them as display paths in
// sigs.k8s.io/json's form (`metadata.name`, `spec.containers[0].name`); the exact segments (a
// key may itself contain dots) and, for YAML, upstream's own error text travel with the array
// so the schema check can place each one without re-parsing the paths.

export type PathSegment = string | number;

interface DuplicateInfo {
  segments: PathSegment[][];
  /** YAML only: `yaml: unmarshal errors:\n  line 3: key "a" already set in map`. */
  yamlError?: string;
}

const info = new WeakMap<readonly string[], DuplicateInfo>();

/** sigs.k8s.io/json's strict path: keys joined by `.`, indices as `[i]`. */
export function strictPath(segments: readonly PathSegment[]): string {
  let s = '';
  for (const seg of segments) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += s ? `.${seg}` : seg;
  }
  return s;
}

export function makeDuplicates(segments: PathSegment[][], yamlError?: string): string[] {
  const list = segments.map(strictPath);
  info.set(list, { segments, yamlError });
  return list;
}

export function duplicateInfo(list: readonly string[]): DuplicateInfo | undefined {
  return info.get(list);
}
