// Removes a pod's directory without ever leaving it: symlinks are unlinked, never followed, and a
// directory on another filesystem (a mount the runtime left behind) stops the removal with an error
// instead of having its contents deleted, like upstream's RemoveAllOneFilesystem.
import { promises as fs } from 'node:fs';
import path from 'node:path';

async function removeEntry(p: string, dev: number): Promise<void> {
  const st = await fs.lstat(p);
  if (!st.isDirectory()) {
    await fs.unlink(p);
    return;
  }
  if (st.dev !== dev) throw new Error(`cannot delete directory ${p}: it is a mount point`);
  for (const name of await fs.readdir(p)) await removeEntry(path.join(p, name), dev);
  await fs.rmdir(p);
}

/** Removes dir and everything under it on dir's filesystem; a missing dir is fine. */
export async function removeTreeOneFilesystem(dir: string): Promise<void> {
  let st;
  try {
    st = await fs.lstat(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  if (!st.isDirectory()) throw new Error(`${dir} is not a directory`);
  await removeEntry(dir, st.dev);
}
