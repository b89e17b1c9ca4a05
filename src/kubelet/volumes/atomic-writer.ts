// Projects a set of files into a directory so readers never see a half-written update (upstream's
// pkg/volume/util/atomic_writer.go). Real files live in a hidden timestamped directory; `..data` is
// a symlink to it, replaced by renaming a fresh symlink over it; user-visible top-level names are
// symlinks `name -> ..data/name`. Paths starting with `..` are reserved. Callers serialize writes.
import { randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

export interface FileProjection {
  data: Buffer;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const NEW_DATA_DIR = '..data_tmp';
const MAX_FILE_NAME = 255;
const MAX_PATH = 4096;

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException).code === 'ENOENT';
}

/** upstream's validatePath: relative, no `..` element, no leading `..` name, bounded lengths. */
export function validatePayloadPath(p: string): void {
  if (p === '') throw new Error(`invalid path: must not be empty: ""`);
  if (path.isAbsolute(p)) throw new Error(`invalid path: must be relative path: ${p}`);
  if (p.length > MAX_PATH) throw new Error(`invalid path: must be less than or equal to ${MAX_PATH} characters`);
  const items = p.split('/');
  for (const item of items) {
    if (item === '..') throw new Error(`invalid path: must not contain '..': ${p}`);
    if (item.length > MAX_FILE_NAME) throw new Error(`invalid path: filenames must be less than or equal to ${MAX_FILE_NAME} characters`);
  }
  if (items[0]!.startsWith('..') && items[0]!.length > 2) throw new Error(`invalid path: must not start with '..': ${p}`);
}

function cleanPayload(payload: Payload): Payload {
  const out: Payload = new Map();
  for (const [p, f] of payload) {
    validatePayloadPath(p);
    out.set(path.posix.normalize(p).replace(/\/+$/, ''), f);
  }
  return out;
}

async function readlinkOrEmpty(p: string): Promise<string> {
  try {
    return await fs.readlink(p);
  } catch (e) {
    if (isNotFound(e)) return '';
    throw e;
  }
}

/** Every path (files and directories) under dir, relative to it. */
async function walk(dir: string, rel = ''): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await fs.readdir(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${ent.name}` : ent.name;
    out.push(p);
    if (ent.isDirectory()) out.push(...(await walk(dir, p)));
  }
  return out;
}

async function pathsToRemove(payload: Payload, oldTsPath: string): Promise<string[]> {
  let current: string[];
  try {
    current = await walk(oldTsPath);
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
  const keep = new Set<string>();
  for (const file of payload.keys()) {
    for (let p = file; p && p !== '.'; p = path.posix.dirname(p)) keep.add(p);
  }
  return current.filter((p) => !keep.has(p));
}

/** Whether any file is new or differs in content or mode from what is on disk. */
async function payloadDiffers(payload: Payload, oldTsPath: string): Promise<boolean> {
  for (const [p, f] of payload) {
    const full = path.join(oldTsPath, p);
    let st;
    try {
      st = await fs.lstat(full);
    } catch (e) {
      if (isNotFound(e)) return true;
      throw e;
    }
    if (!st.isFile() || (st.mode & 0o7777) !== f.mode) return true;
    if (!(await fs.readFile(full)).equals(f.data)) return true;
  }
  return false;
}

function timestampPrefix(now: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

/** Like Go's os.MkdirTemp: the prefix plus a random number, retried on collision. */
async function newTimestampDir(targetDir: string, now: Date): Promise<string> {
  for (;;) {
    const dir = path.join(targetDir, timestampPrefix(now) + String(randomInt(0, 2 ** 32 - 1)));
    try {
      await fs.mkdir(dir, { mode: 0o755 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw e;
    }
    // 0755 whatever the umask, so every user in the container can traverse it.
    await fs.chmod(dir, 0o755);
    return dir;
  }
}

async function writePayloadToDir(payload: Payload, dir: string): Promise<void> {
  for (const [p, f] of payload) {
    const full = path.join(dir, p);
    await fs.mkdir(path.dirname(full), { recursive: true, mode: 0o755 });
    await fs.writeFile(full, f.data, { mode: f.mode });
    await fs.chmod(full, f.mode);
  }
}

async function createUserVisibleFiles(targetDir: string, payload: Payload): Promise<void> {
  const tops = new Set([...payload.keys()].map((p) => p.split('/')[0]!));
  for (const top of tops) {
    const visible = path.join(targetDir, top);
    try {
      await fs.lstat(visible);
    } catch (e) {
      if (!isNotFound(e)) throw e;
      await fs.symlink(path.join(DATA_DIR, top), visible);
    }
  }
}

export interface AtomicWriteOptions {
  /** For the timestamped directory's name. */
  now?: () => Date;
}

/**
 * Makes targetDir (which must exist) show exactly `payload`. Resolves true when something was
 * written, false when the directory already showed this payload.
 */
export async function atomicWrite(targetDir: string, payload: Payload, opts: AtomicWriteOptions = {}): Promise<boolean> {
  const clean = cleanPayload(payload);
  const dataDirPath = path.join(targetDir, DATA_DIR);
  const oldTsDir = await readlinkOrEmpty(dataDirPath);
  // Only ever a name we made; anything else must not steer the removals below.
  if (oldTsDir && (oldTsDir.includes('/') || !oldTsDir.startsWith('..') || oldTsDir === '..')) {
    throw new Error(`unexpected ${DATA_DIR} link target ${JSON.stringify(oldTsDir)} in ${targetDir}`);
  }
  const oldTsPath = oldTsDir ? path.join(targetDir, oldTsDir) : '';

  let toRemove: string[] = [];
  if (oldTsDir) {
    toRemove = await pathsToRemove(clean, oldTsPath);
    if (toRemove.length === 0 && !(await payloadDiffers(clean, oldTsPath))) return false;
  }

  const tsDir = await newTimestampDir(targetDir, (opts.now ?? (() => new Date()))());
  const newDataDirPath = path.join(targetDir, NEW_DATA_DIR);
  try {
    await writePayloadToDir(clean, tsDir);
    // A leftover from an interrupted write would make symlink() fail.
    await fs.rm(newDataDirPath, { force: true });
    await fs.symlink(path.basename(tsDir), newDataDirPath);
    await fs.rename(newDataDirPath, dataDirPath);
  } catch (e) {
    await fs.rm(newDataDirPath, { force: true });
    await fs.rm(tsDir, { recursive: true, force: true });
    throw e;
  }

  await createUserVisibleFiles(targetDir, clean);
  // Only top-level names are links of ours; deeper paths vanished with the old directory.
  for (const p of toRemove) if (!p.includes('/')) await fs.rm(path.join(targetDir, p), { force: true });
  if (oldTsPath) await fs.rm(oldTsPath, { recursive: true, force: true });
  return true;
}
