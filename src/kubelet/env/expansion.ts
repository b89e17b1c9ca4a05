// $(VAR) expansion as the kubelet applies it to env values, command, args and subPathExpr
// (upstream's third_party/forked/golang/expansion): `$(NAME)` is replaced when NAME is known and
// left as written otherwise, `$$` is an escaped `$`, and a `$` not followed by `(` or `$` stays.
import type { Container } from 'kubernetes-types/core/v1.js';
import type { KeyValue } from '../runtime/cri.js';

export type Mapping = (name: string) => string;

/** Looks a name up in each map in turn; an unknown name expands to itself, `$(NAME)`. */
export function mappingFor(...contexts: ReadonlyMap<string, string>[]): Mapping {
  return (name) => {
    for (const vars of contexts) {
      const v = vars.get(name);
      if (v !== undefined) return v;
    }
    return `$(${name})`;
  };
}

export function expand(input: string, mapping: Mapping): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    // Code points, not UTF-16 units, so a `$` before an astral character keeps it whole.
    const first = String.fromCodePoint(rest.codePointAt(0)!);
    let advance = first.length;
    if (first === '$') {
      out += '$';
    } else if (first === '(') {
      const close = rest.indexOf(')', 1);
      if (close >= 0) {
        out += mapping(rest.slice(1, close));
        advance = close + 1;
      } else {
        out += '$(';
      }
    } else {
      out += '$' + first;
    }
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

export function envMap(env: readonly KeyValue[]): Map<string, string> {
  return new Map(env.map((e) => [e.key, e.value]));
}

/** The container's command and args with `$(VAR)` references to its environment expanded. */
export function expandCommand(
  container: Pick<Container, 'command' | 'args'>,
  env: readonly KeyValue[],
): { command?: string[]; args?: string[] } {
  const mapping = mappingFor(envMap(env));
  const out: { command?: string[]; args?: string[] } = {};
  if (container.command?.length) out.command = container.command.map((c) => expand(c, mapping));
  if (container.args?.length) out.args = container.args.map((a) => expand(a, mapping));
  return out;
}

/**
 * A volumeMount's subPathExpr expanded from the container's environment. Unlike env values, an unknown
 * or empty variable is an error, as upstream's ExpandContainerVolumeMounts has it.
 */
export function expandSubPathExpr(expr: string, env: readonly KeyValue[]): string {
  const vars = envMap(env);
  const missing = new Set<string>();
  const out = expand(expr, (name) => {
    const v = vars.get(name);
    if (!v) missing.add(name);
    return v ?? '';
  });
  if (missing.size > 0) throw new Error(`missing value for ${[...missing].sort().join(', ')}`);
  return out;
}
