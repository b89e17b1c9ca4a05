// Transpiles src/ and bench/ to dist/ with esbuild (type checking is `npm run typecheck`).
// Fast enough to run before every test and benchmark, so dist/ never goes stale.
import { build } from 'esbuild';
import { readdirSync, statSync, rmSync, mkdirSync, copyFileSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

rmSync('dist', { recursive: true, force: true });
const files = ['src', 'bench'].flatMap((d) => walk(d));
const entryPoints = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
await build({
  entryPoints,
  outdir: 'dist',
  outbase: '.',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
// Non-TS assets (generated JSON schema, static files) are copied beside the JS.
for (const f of files.filter((f) => !f.endsWith('.ts'))) {
  const dest = join('dist', relative('.', f));
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(f, dest);
}
