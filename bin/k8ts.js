#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('k8ts: dist/ is missing; run `npm install` (or `npm run build`) in the checkout first');
  process.exit(1);
}
await import(main);
