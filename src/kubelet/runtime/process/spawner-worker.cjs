// The process runtime's spawner thread (see spawner.ts). child_process.spawn blocks its thread
// until the child has exec'd, which on a busy machine is several ms per container; here that
// wait holds this worker, not the agent's event loop. The worker starts each container's main
// process, forwards its output to the main thread and its input from it, and reports the
// prelude's setup result (fd 3), the exit and the close. Plain JavaScript: it runs as is from
// the sources under test and from dist/.
'use strict';
const { spawn } = require('node:child_process');
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { parentPort } = require('node:worker_threads');

const children = new Map();

function post(msg, transfer) {
  parentPort.postMessage(msg, transfer);
}

function forward(id, stream, name) {
  stream.on('data', (chunk) => {
    // A copy we own, so the buffer can be transferred instead of cloned.
    const data = new Uint8Array(chunk);
    post({ id, type: 'data', stream: name, data }, [data.buffer]);
  });
  stream.on('error', () => undefined);
}

/** The container's cgroup: directories, then limits. */
function prepare(prep) {
  for (const d of prep.mkdirs) mkdirSync(d, { recursive: true });
  for (const w of prep.writes) {
    try {
      writeFileSync(w.file, w.value);
    } catch (err) {
      if (!w.optional) throw err;
    }
  }
}

/** The runtime's state record of a new process (state-dir.ts), with its /proc start time (field 22). */
function record(rec, pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTime = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    writeFileSync(rec.file, JSON.stringify({ ...rec.fields, pid, startTime }));
    return true;
  } catch {
    return false; // gone already, or no state dir: the runtime writes what it can
  }
}

function start(req) {
  const { id } = req;
  let child;
  try {
    if (req.prepare) prepare(req.prepare);
  } catch (err) {
    post({ id, type: 'error', message: `container setup failed: ${err.message}`, code: err.code });
    return;
  }
  try {
    child = spawn(req.file, req.args, {
      cwd: req.cwd,
      env: req.env,
      detached: true,
      stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(req.report ? ['pipe'] : [])],
    });
  } catch (err) {
    post({ id, type: 'error', message: err.message, code: err.code });
    return;
  }
  children.set(id, child);
  child.once('error', (err) => {
    if (child.pid === undefined) {
      children.delete(id);
      post({ id, type: 'error', message: err.message, code: err.code });
    }
  });
  // 'spawned' goes first: the exit and close of a failed prelude can come before its report ends.
  let reported = false;
  const held = [];
  const after = (msg) => (reported ? post(msg) : held.push(msg));
  child.once('spawn', () => {
    forward(id, child.stdout, 'stdout');
    forward(id, child.stderr, 'stderr');
    if (child.stdin) child.stdin.on('error', () => undefined);
    const recorded = req.record ? record(req.record, child.pid) : false;
    const spawned = (report) => {
      post({ id, type: 'spawned', pid: child.pid, report, recorded });
      reported = true;
      for (const msg of held.splice(0)) post(msg);
    };
    const fd3 = child.stdio[3];
    if (!fd3) return spawned(undefined);
    let text = '';
    fd3.setEncoding('utf8');
    fd3.on('data', (d) => (text += d));
    fd3.on('error', () => undefined);
    fd3.once('close', () => spawned(text));
  });
  child.once('exit', (code, signal) => after({ id, type: 'exit', code, signal }));
  child.once('close', () => {
    children.delete(id);
    after({ id, type: 'close' });
  });
}

parentPort.on('message', (msg) => {
  if (msg.type === 'spawn') return start(msg);
  if (msg.type === 'prepare') {
    try {
      prepare(msg.prepare);
      return post({ id: msg.id, type: 'prepared' });
    } catch (err) {
      return post({ id: msg.id, type: 'error', message: `container setup failed: ${err.message}`, code: err.code });
    }
  }
  const child = children.get(msg.id);
  if (!child || !child.stdin) return;
  if (msg.type === 'stdin') child.stdin.write(Buffer.from(msg.data));
  else if (msg.type === 'stdin-end') child.stdin.end();
});
