// hostPath type checks as the kubelet runs them at volume set-up (pkg/volume/hostpath, 1.32 texts).
// The path is the node's own; the kubelet only creates it for the *OrCreate types.
import { promises as fs, type Stats } from 'node:fs';
import { hasBacksteps } from './paths.js';

export type HostPathType = '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

async function statOrUndefined(p: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(p);
  } catch {
    return undefined;
  }
}

const EXPECT: Record<string, [(st: Stats) => boolean, string]> = {
  Directory: [(st) => st.isDirectory(), 'directory'],
  File: [(st) => st.isFile(), 'file'],
  Socket: [(st) => st.isSocket(), 'socket file'],
  CharDevice: [(st) => st.isCharacterDevice(), 'character device'],
  BlockDevice: [(st) => st.isBlockDevice(), 'block device'],
};

/** Runs the check for `type`, creating the path for DirectoryOrCreate/FileOrCreate; throws upstream's message. */
export async function checkHostPath(p: string, type: string | undefined): Promise<void> {
  if (hasBacksteps(p)) throw new Error(`invalid HostPath \`${p}\`: must not contain '..'`);
  if (!type) return;
  let want = type;
  if (type === 'DirectoryOrCreate' || type === 'FileOrCreate') {
    if (!(await statOrUndefined(p))) {
      if (type === 'DirectoryOrCreate') await fs.mkdir(p, { recursive: true, mode: 0o755 });
      // 'a' creates without truncating, should another writer have raced us to it.
      else await (await fs.open(p, 'a', 0o644)).close();
      return;
    }
    want = type === 'DirectoryOrCreate' ? 'Directory' : 'File';
  }
  const check = EXPECT[want];
  if (!check) throw new Error(`${type} is an invalid volume type`);
  const st = await statOrUndefined(p);
  if (!st || !check[0](st)) throw new Error(`hostPath type check failed: ${p} is not a ${check[1]}`);
}
