// The kubelet's query of exec and attach: which streams the client wants, and the command.
// The API server renames the client's stdin/stdout/stderr to the kubelet's input/output/error;
// both spellings are taken here so the node server can also be driven directly.

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

const flag = (q: URLSearchParams, ...names: string[]) => names.some((n) => q.get(n) === '1' || q.get(n) === 'true');

/** The options, or an error message for a 400 when no stream is asked for. */
export function parseRemoteCommandOptions(q: URLSearchParams): RemoteCommandOptions | { error: string } {
  const tty = flag(q, 'tty');
  const stdin = flag(q, 'input', 'stdin');
  const stdout = flag(q, 'output', 'stdout');
  // A TTY merges stderr into stdout; upstream silently drops a stderr request then.
  const stderr = flag(q, 'error', 'stderr') && !tty;
  if (!stdin && !stdout && !stderr) return { error: 'you must specify at least 1 of stdin, stdout, stderr' };
  return { stdin, stdout, stderr, tty };
}

export function parseCommand(q: URLSearchParams): string[] {
  return q.getAll('command');
}
