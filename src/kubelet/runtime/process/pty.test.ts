import { describe, expect, it, vi } from 'vitest';
import type { TerminalSize } from '../cri.js';
import { followResize, initialSize, ptyExitCode, ptyLoader } from './pty.js';
import { waitFor } from './test-helpers.js';

const fakePty = { spawn: () => undefined, open: () => undefined };

/** Resize events pushed by the test, as the streaming server would deliver them. */
export function sizes(): { it: AsyncIterator<TerminalSize>; push(s: TerminalSize): void; end(): void } {
  const queue: (TerminalSize | null)[] = [];
  let wake: (() => void) | undefined;
  async function* gen(): AsyncGenerator<TerminalSize> {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      const s = queue.shift()!;
      if (s === null) return;
      yield s;
    }
  }
  const put = (s: TerminalSize | null) => {
    queue.push(s);
    wake?.();
  };
  return { it: gen(), push: put, end: () => put(null) };
}

describe('ptyLoader', () => {
  it('uses node-pty when it loads', () => {
    const warn = vi.fn();
    expect(ptyLoader(() => fakePty, warn)()).toBe(fakePty);
    expect(warn).not.toHaveBeenCalled();
  });

  it('falls back (undefined) with a single warning when the addon cannot load', () => {
    const warn = vi.fn();
    const load = vi.fn(() => {
      throw new Error('Failed to load native module: pty.node');
    });
    const get = ptyLoader(load, warn);
    expect(get()).toBeUndefined();
    expect(get()).toBeUndefined();
    expect(load).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/node-pty unavailable \(Failed to load native module: pty\.node\); terminals use script/);
  });

  it('falls back when the module is not what we expect', () => {
    const warn = vi.fn();
    expect(ptyLoader(() => ({ spawn: () => undefined }), warn)()).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('the real node-pty loads on this platform', async () => {
    const { loadPty } = await import('./pty.js');
    expect(loadPty()).toBeDefined();
  });
});

describe('terminal sizes', () => {
  it('starts with a size the client already sent, else 80x24', async () => {
    const early = sizes();
    early.push({ width: 100, height: 40 });
    expect((await initialSize(early.it)).size).toEqual({ width: 100, height: 40 });
    const late = sizes();
    const r = await initialSize(late.it);
    expect(r.size).toEqual({ width: 80, height: 24 });
    expect(await initialSize(undefined)).toEqual({ size: { width: 80, height: 24 } });

    // the pending first event is not lost: it is applied later; 0x0 is skipped
    const seen: TerminalSize[] = [];
    followResize(late.it, r.pending, (s) => seen.push(s));
    late.push({ width: 0, height: 0 });
    late.push({ width: 120, height: 30 });
    late.push({ width: 90, height: 20 });
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([{ width: 120, height: 30 }, { width: 90, height: 20 }]);
  });

  it('stops applying sizes once stopped', async () => {
    const s = sizes();
    const seen: TerminalSize[] = [];
    const stop = followResize(s.it, undefined, (x) => seen.push(x));
    s.push({ width: 10, height: 10 });
    await waitFor(() => seen.length === 1);
    stop();
    s.push({ width: 20, height: 20 });
    s.end();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([{ width: 10, height: 10 }]);
  });

  it('reports signal deaths as 128 + n', () => {
    expect(ptyExitCode({ exitCode: 0, signal: 9 })).toBe(137);
    expect(ptyExitCode({ exitCode: 3, signal: 0 })).toBe(3);
    expect(ptyExitCode({ exitCode: 3 })).toBe(3);
  });
});
