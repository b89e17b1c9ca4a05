// Loads the committed generated schema and answers lookups against it.
import { readFileSync } from 'node:fs';
import type { FieldSchema, GeneratedSchema, GroupVersionKind, TypeSchema } from './types.js';

export type { FieldSchema, GeneratedSchema, GroupVersionKind, TypeSchema, ProtoField, ResourceSchema, SubresourceSchema } from './types.js';

export class Schema {
  readonly version: string;
  readonly types: Record<string, TypeSchema>;
  readonly raw: GeneratedSchema;
  /** `group/version/kind` → type name. */
  private readonly byGvk = new Map<string, string>();

  constructor(raw: GeneratedSchema) {
    this.raw = raw;
    this.version = raw.version;
    this.types = raw.types;
    for (const [name, t] of Object.entries(raw.types)) {
      for (const g of t.gvk ?? []) this.byGvk.set(gvkKey(g), name);
    }
  }

  type(name: string): TypeSchema | undefined {
    return this.types[name];
  }

  typeNameFor(gvk: GroupVersionKind): string | undefined {
    return this.byGvk.get(gvkKey(gvk));
  }

  typeFor(gvk: GroupVersionKind): TypeSchema | undefined {
    const n = this.typeNameFor(gvk);
    return n ? this.types[n] : undefined;
  }

  /** Follows a field's $ref (if any) to its type. */
  resolve(f: FieldSchema | undefined): TypeSchema | undefined {
    return f?.ref ? this.types[f.ref] : undefined;
  }
}

export function gvkKey(g: GroupVersionKind): string {
  return `${g.group}/${g.version}/${g.kind}`;
}

let cached: Schema | undefined;

/** The schema committed at src/api/generated/schema.json (read once per process). */
export function loadSchema(): Schema {
  if (!cached) {
    const text = readFileSync(new URL('../generated/schema.json', import.meta.url), 'utf8');
    cached = new Schema(JSON.parse(text) as GeneratedSchema);
  }
  return cached;
}
