import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TerminalSize } from '../cri.js';
import { logLines, testRuntime, waitFor, type TestRuntime } from './test-helpers.js';

/** Resize events pushed by the test, as the streaming server delivers them. */
function resizeQueue(): { events: AsyncIterable<TerminalSize>; push(s: TerminalSize): void } {
  const queue: TerminalSize[] = [];
  let wake: (() => void) | undefined;
  const events = (async function* () {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (wake = r));
      yield queue.shift()!;
    }
  })();
  return { events, push: (s) => (queue.push(s), wake?.()) };
}

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

/** Lets pending resize events reach the terminal before input that depends on them. */
const tick = () => new Promise((r) => setImmediate(r));

const modes = process.getuid?.() === 0 ? [{ isRoot: true }, { isRoot: false }] : [{ isRoot: false }];

describe.each(modes)('ProcessRuntime terminals on node-pty (isRoot: $isRoot)', (mode) => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime(mode);
  });
  afterEach(() => t.cleanup());

  it('exec -t: stty size follows resize events; stderr is the terminal', async () => {
    // With a volume as root, the exec also goes through nsenter into the container's mounts.
    const id = await t.run(['sleep', '60'], mode.isRoot ? { mounts: [{ containerPath: `${t.dir}/vol`, hostPath: t.dir }] } : {});
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const r = resizeQueue();
    const cmd = ['sh', '-c', 'stty size; read x; stty size >&2; exit 3'];
    const done = t.rt.exec({ containerId: id, cmd, tty: true, stdin: true, stdout: true }, { stdin, stdout, tty: true, resize: r.events });
    await waitFor(() => out().includes('24 80'));
    r.push({ width: 100, height: 40 });
    await tick();
    stdin.write('\n');
    expect(await done).toBe(3);
    expect(out()).toMatch(/^24 80\r\n\r\n40 100\r\n$/);
  });

  // cat closes its terminal before it exits: the kubelet must not hang up (close the master) in
  // between, or cat dies of the SIGHUP (129) — exec-pty.ts holds the slave until it was reaped.
  it('exec -t: starts with a size sent before the command; signal deaths are 128+n; EOF on stdin ends cat', async () => {
    const id = await t.run(['sleep', '60']);
    const stdout = new PassThrough();
    const out = collect(stdout);
    const r = resizeQueue();
    r.push({ width: 132, height: 50 });
    expect(await t.rt.exec({ containerId: id, cmd: ['stty', 'size'], tty: true, stdout: true }, { stdout, tty: true, resize: r.events })).toBe(0);
    expect(out()).toBe('50 132\r\n');
    expect(await t.rt.exec({ containerId: id, cmd: ['sh', '-c', 'kill -KILL $$'], tty: true }, { tty: true })).toBe(137);
    // As at a terminal: a line, its echo, then end of input (^D) on an empty line.
    const stdin = new PassThrough();
    const catOut = new PassThrough();
    const echoed = collect(catOut);
    const done = t.rt.exec({ containerId: id, cmd: ['cat'], tty: true, stdin: true, stdout: true }, { stdin, stdout: catOut, tty: true });
    stdin.write('hi\n');
    await waitFor(() => (echoed().match(/hi/g) ?? []).length >= 2);
    stdin.end();
    expect(await done).toBe(0);
  });

  it('exec -t: a command that closes its terminal some time before it exits is not hung up', async () => {
    const id = await t.run(['sleep', '60']);
    // cat's end (close fds 0-2, then exit) stretched out: this ended with SIGHUP (129) every time.
    const cmd = ['sh', '-c', 'exec </dev/null >/dev/null 2>&1; sleep 0.1'];
    expect(await t.rt.exec({ containerId: id, cmd, tty: true }, { tty: true })).toBe(0);
  });

  it('exec -t: a client that goes away kills the command', async () => {
    const id = await t.run(['sleep', '60']);
    const stdout = new PassThrough();
    const out = collect(stdout);
    const done = t.rt.exec({ containerId: id, cmd: ['sh', '-c', 'echo up; sleep 60'], tty: true, stdout: true }, { stdout, tty: true });
    await waitFor(() => out().includes('up'));
    stdout.destroy();
    expect(await done).toBe(137);
  });

  it('tty container: attach gets a resizable terminal, the log gets its output as stdout', async () => {
    const script = 'echo ready; while read line; do echo "got $line"; stty size; done';
    const id = await t.run(['sh', '-c', script], { tty: true, stdin: true, stdinOnce: true });
    await waitFor(async () => (await t.logOf(id)).includes('ready'));
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const r = resizeQueue();
    const attached = t.rt.attach({ containerId: id, tty: true, stdin: true, stdout: true }, { stdin, stdout, tty: true, resize: r.events });
    r.push({ width: 77, height: 33 });
    await tick();
    stdin.write('one\n');
    await waitFor(() => out().includes('33 77'));
    stdin.end(); // stdinOnce: the terminal's input ends (^D), so `read` sees end of file
    await attached;
    expect((await t.untilExited(id)).exitCode).toBe(0);
    expect(out()).toContain('got one\r\n33 77\r\n');
    const log = logLines(await t.logOf(id));
    expect(log[0]).toBe('stdout: ready\r');
    expect(log.every((l) => l.startsWith('stdout: '))).toBe(true);
  });
});
