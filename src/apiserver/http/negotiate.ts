// Content negotiation. Responses are JSON (or a meta.k8s.io Table when asked); protobuf is
// accepted only as a request body, which clients allow for since they list JSON as well.

export interface Accepted {
  table: boolean;
  /** includeObject for Table rows: None | Metadata (default) | Object. */
  json: boolean;
}

export function parseAccept(header: string | undefined): { table: boolean; ok: boolean } {
  if (!header) return { table: false, ok: true };
  let ok = false;
  for (const raw of header.split(',')) {
    const [type, ...params] = raw.trim().split(';').map((s) => s.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((y) => y.trim())));
    if (type === 'application/json' && p.as === 'Table' && (p.g === 'meta.k8s.io') && (p.v === 'v1' || p.v === 'v1beta1')) {
      return { table: true, ok: true };
    }
    if (type === 'application/json' && !p.as) ok = true;
    if (type === '*/*' || type === 'application/*' || type === 'application/yaml') ok = true;
  }
  return { table: false, ok };
}

/** The media type of a request body, without parameters. */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0].trim().toLowerCase();
}
