// Termination messages, as upstream's kuberuntime makes and reads them. Each container instance
// gets a fresh empty file under `<podDir>/containers/<name>/`, mounted at terminationMessagePath
// (optional: the process runtime without root cannot mount, and then only the log fallback is
// left). Once the container exited, the message is the last 4096 bytes of that file; with policy
// FallbackToLogsOnError and a failure, an empty or missing file means the tail of the log (the
// last 80 lines, at most 2048 bytes). A message of the runtime's own comes first.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Container } from 'kubernetes-types/core/v1.js';
import type { ContainerStatus, Mount } from '../runtime/cri.js';

const MAX_MESSAGE_BYTES = 4096;
const MAX_LOG_BYTES = 2048;
const MAX_LOG_LINES = 80;

/** Creates this instance's termination-log file; [] when the container names no path. */
export function terminationLogMount(podDir: string, c: Container): Mount[] {
  if (!c.terminationMessagePath) return [];
  const dir = join(podDir, 'containers', c.name);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, randomBytes(4).toString('hex'));
  writeFileSync(file, '');
  chmodSync(file, 0o666); // whatever user the container runs as may write it
  return [{ containerPath: c.terminationMessagePath, hostPath: file, optional: true }];
}

export async function terminationMessage(c: Container, st: ContainerStatus): Promise<string | undefined> {
  if (st.state !== 'CONTAINER_EXITED') return undefined;
  const fallback = c.terminationMessagePolicy === 'FallbackToLogsOnError' && st.exitCode !== 0;
  let text = '';
  let fromLogs = fallback;
  const mount = c.terminationMessagePath ? st.mounts?.find((m) => m.containerPath === c.terminationMessagePath) : undefined;
  if (mount) {
    try {
      text = await readTail(mount.hostPath, MAX_MESSAGE_BYTES);
      fromLogs = fallback && text === '';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        text = `Error on reading termination log ${mount.hostPath}: ${(e as Error).message}`;
        fromLogs = false;
      }
    }
  }
  if (fromLogs && st.logPath) text = (await tailOfCriLog(st.logPath).catch(() => undefined)) ?? '';
  if (!text) return st.message || undefined;
  return st.message ? `${st.message}: ${text}` : text;
}

async function readTail(path: string, max: number): Promise<string> {
  const f = await open(path, 'r');
  try {
    const { size } = await f.stat();
    const len = Math.min(size, max);
    const buf = Buffer.alloc(len);
    await f.read(buf, 0, len, size - len);
    return buf.toString('utf8');
  } finally {
    await f.close();
  }
}

async function tailOfCriLog(path: string): Promise<string | undefined> {
  const lines = (await readTail(path, 64 * 1024)).split('\n').filter(Boolean);
  // CRI format: "<time> <stream> <F|P> <content>"; partial lines join the next one.
  let text = '';
  for (const l of lines.slice(-MAX_LOG_LINES)) {
    const m = /^\S+ (?:stdout|stderr) ([FP]) ?(.*)$/.exec(l);
    if (!m) continue;
    text += m[2] + (m[1] === 'F' ? '\n' : '');
  }
  if (!text) return undefined;
  return Buffer.byteLength(text) > MAX_LOG_BYTES ? Buffer.from(text).subarray(-MAX_LOG_BYTES).toString('utf8') : text;
}
