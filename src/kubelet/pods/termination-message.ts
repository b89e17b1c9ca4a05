// The termination message of an exited container. The process runtime cannot place a file at
// terminationMessagePath without a mount per container, so the message comes from the log when
// the policy is FallbackToLogsOnError and the container failed (upstream: the last 80 lines, at
// most 2048 bytes), as upstream does when the file is empty.
import { open } from 'node:fs/promises';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus } from '../runtime/cri.js';

const MAX_BYTES = 2048;
const MAX_LINES = 80;

export async function terminationMessage(c: Container, st: ContainerStatus): Promise<string | undefined> {
  if (st.state !== 'CONTAINER_EXITED') return undefined;
  if (st.message) return st.message;
  if (c.terminationMessagePolicy !== 'FallbackToLogsOnError' || st.exitCode === 0 || !st.logPath) return undefined;
  return tailOfCriLog(st.logPath).catch(() => undefined);
}

async function tailOfCriLog(path: string): Promise<string | undefined> {
  const f = await open(path, 'r');
  try {
    const { size } = await f.stat();
    const len = Math.min(size, 64 * 1024);
    const buf = Buffer.alloc(len);
    await f.read(buf, 0, len, size - len);
    const lines = buf.toString('utf8').split('\n').filter(Boolean);
    // CRI format: "<time> <stream> <F|P> <content>"; partial lines join the next one.
    let text = '';
    for (const l of lines.slice(-MAX_LINES)) {
      const m = /^\S+ (?:stdout|stderr) ([FP]) ?(.*)$/.exec(l);
      if (!m) continue;
      text += m[2] + (m[1] === 'F' ? '\n' : '');
    }
    if (!text) return undefined;
    return Buffer.byteLength(text) > MAX_BYTES ? Buffer.from(text).subarray(-MAX_BYTES).toString('utf8') : text;
  } finally {
    await f.close();
  }
}
