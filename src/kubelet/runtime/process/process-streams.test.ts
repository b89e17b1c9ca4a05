import { createServer } from 'node:net';
import { Duplex, PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logLines, testRuntime, waitFor, type TestRuntime } from './test-helpers.js';

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

/** Two connected in-memory duplex streams, like the two ends of a socket. */
function duplexPair(): [Duplex, Duplex] {
  const make = (): Duplex & { peer?: Duplex } =>
    new Duplex({
      read() {},
      write(chunk, _enc, cb) {
        (this as Duplex & { peer?: Duplex }).peer!.push(chunk);
        cb();
      },
      final(cb) {
        (this as Duplex & { peer?: Duplex }).peer!.push(null);
        cb();
      },
    });
  const a = make();
  const b = make();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

const modes = process.getuid?.() === 0 ? [{ isRoot: true }, { isRoot: false }] : [{ isRoot: false }];

describe.each(modes)('ProcessRuntime exec, attach, port-forward, stats (isRoot: $isRoot)', (mode) => {
  let t: TestRuntime;
  let id: string;
  beforeEach(async () => {
    t = await testRuntime(mode);
    id = await t.run(['sleep', '60'], { envs: [{ key: 'WHO', value: 'container' }], workingDir: t.dir });
  });
  afterEach(() => t.cleanup());

  it('execSync returns output and exit code with the container env and working directory', async () => {
    const r = await t.rt.execSync(id, ['sh', '-c', 'echo "$WHO in $(pwd)"; echo warn >&2; exit 4'], 0);
    expect(r.stdout.toString()).toBe(`container in ${t.dir}\n`);
    expect(r.stderr.toString()).toBe('warn\n');
    expect(r.exitCode).toBe(4);
  });

  it('execSync kills a command over its timeout and reports failure', async () => {
    const r = await t.rt.execSync(id, ['sh', '-c', 'sleep 30 & wait'], 1);
    expect(r.exitCode).toBe(137);
  });

  it('execSync of a missing command fails clearly', async () => {
    if (mode.isRoot) return; // in the root prelude a missing command shows as exit 127 instead
    await expect(t.rt.execSync(id, ['no-such-cmd-k8ts'], 0)).rejects.toThrow(/executable file not found in \$PATH/);
  });

  it('exec pipes stdin to the command and returns its exit code', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const out = collect(stdout);
    const err = collect(stderr);
    const done = t.rt.exec({ containerId: id, cmd: ['sh', '-c', 'tr a-z A-Z; echo bye >&2; exit 2'], stdin: true, stdout: true, stderr: true }, { stdin, stdout, stderr });
    stdin.end('hello\n');
    expect(await done).toBe(2);
    expect(out()).toBe('HELLO\n');
    expect(err()).toBe('bye\n');
  });

  it('exec with a tty gives the command a terminal', async () => {
    const stdout = new PassThrough();
    const out = collect(stdout);
    const code = await t.rt.exec({ containerId: id, cmd: ['sh', '-c', 'tty; exit 5'], tty: true, stdout: true }, { stdout, tty: true });
    expect(code).toBe(5);
    expect(out()).toMatch(/^\/dev\/pts\/\d+\r?\n$/);
  });

  it('reports CPU and memory of the running process tree', async () => {
    const busy = await t.run(['sh', '-c', 'while :; do :; done']);
    const s = await waitFor(async () => {
      const st = await t.rt.containerStats(busy);
      return (st.cpu?.usageCoreNanoSeconds ?? 0) > 0 ? st : undefined;
    });
    expect(s.memory!.workingSetBytes).toBeGreaterThan(0);
    expect(s.attributes.metadata.name).toMatch(/^c\d+$/);
    const all = await t.rt.listContainerStats({ podSandboxId: t.podId });
    expect(all.map((x) => x.attributes.id).sort()).toEqual([id, busy].sort());
  });

  it('port-forwards to a server in the pod and fails clearly when nothing listens', async () => {
    const port = await freePort();
    const server = `require("http").createServer((q,s)=>s.end("hello from pod")).listen(${port},"127.0.0.1",()=>console.log("listening"))`;
    const web = await t.run([process.execPath, '-e', server]);
    await waitFor(async () => (await t.logOf(web)).includes('listening'));
    const [ours, theirs] = duplexPair();
    let reply = '';
    ours.on('data', (d: Buffer) => (reply += d.toString()));
    const forwarded = t.rt.portForward(t.podId, port, theirs);
    ours.end('GET / HTTP/1.0\r\n\r\n');
    await forwarded;
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK[\s\S]*hello from pod$/);

    const closed = await freePort();
    await expect(t.rt.portForward(t.podId, closed, duplexPair()[1])).rejects.toThrow(new RegExp(`failed to connect to localhost:${closed} in pod sandbox`));
  });
});

describe('ProcessRuntime attach', () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
  });
  afterEach(() => t.cleanup());

  it('feeds stdin to the main process and streams its output from now on', async () => {
    const id = await t.run(['sh', '-c', 'echo before; while read line; do echo "got $line"; done; echo eof'], { stdin: true, stdinOnce: true });
    await waitFor(async () => (await t.logOf(id)).includes('before'));
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const out = collect(stdout);
    const attached = t.rt.attach({ containerId: id, stdin: true, stdout: true }, { stdin, stdout, stderr: undefined });
    stdin.write('one\n');
    await waitFor(() => out().includes('got one\n'));
    stdin.end('two\n'); // stdinOnce: the container's stdin closes with this session
    await attached;
    expect((await t.untilExited(id)).exitCode).toBe(0);
    expect(out()).not.toContain('before');
    expect(out()).toMatch(/^got one\ngot two\n(eof\n)?$/);
    expect(logLines(await t.logOf(id))).toEqual(['stdout: before', 'stdout: got one', 'stdout: got two', 'stdout: eof']);
  });
});
