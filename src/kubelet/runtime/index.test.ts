import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRuntime, FakeRuntime, ProcessRuntime } from './index.js';

describe('createRuntime', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-rt-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const opts = () => ({ process: { rootDir: dir, nodeIp: '192.0.2.1' } });

  it('chooses the process runtime by default', async () => {
    expect(await createRuntime('', opts())).toBeInstanceOf(ProcessRuntime);
    const rt = await createRuntime('process', opts());
    expect((await rt.version()).runtimeName).toBe('process');
  });

  it('chooses the fake runtime', async () => {
    const rt = await createRuntime('fake', opts());
    expect(rt).toBeInstanceOf(FakeRuntime);
    const pod = await rt.runPodSandbox({ metadata: { name: 'p', uid: 'u', namespace: 'n', attempt: 0 }, logDirectory: join(dir, 'logs') });
    expect((await rt.podSandboxStatus(pod)).network?.ip).toBe('192.0.2.1');
  });

  it('refuses CRI endpoints clearly', async () => {
    await expect(createRuntime('unix:///run/containerd/containerd.sock', opts())).rejects.toThrow(/CRI over gRPC is not built yet/);
  });
});
