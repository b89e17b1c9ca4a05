// Naming of rotated container log files. The current file is e.g. `0.log`; a rotation renames
// it to `0.log.<YYYYMMDD-hhmmss>` (the kubelet's container log manager uses the same stamp),
// with `.<n>` appended when several rotations fall in one second.
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const STAMP_RE = /^(\d{8}-\d{6})(?:\.(\d+))?$/;

/** The UTC `YYYYMMDD-hhmmss` stamp of a rotation at `ms`. */
export function rotationStamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

/** Rotated predecessors of `path`, oldest first. Compressed or foreign files are not listed. */
export function listRotatedLogs(path: string): string[] {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found: { name: string; stamp: string; n: number }[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const m = STAMP_RE.exec(name.slice(prefix.length));
    if (m) found.push({ name, stamp: m[1]!, n: m[2] === undefined ? 0 : Number(m[2]) });
  }
  found.sort((a, b) => (a.stamp < b.stamp ? -1 : a.stamp > b.stamp ? 1 : a.n - b.n));
  return found.map((f) => join(dir, f.name));
}

/** A free name for rotating `path` at `ms`, given the names already taken. */
export function rotatedName(path: string, ms: number, exists: (p: string) => boolean): string {
  const base = `${path}.${rotationStamp(ms)}`;
  if (!exists(base)) return base;
  for (let n = 1; ; n++) {
    if (!exists(`${base}.${n}`)) return `${base}.${n}`;
  }
}
