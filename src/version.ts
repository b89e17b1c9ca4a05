// The k8ts release, read once from package.json.
import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')).version as string;
    } catch {
      // try the next location (src/ vs dist/src/)
    }
  }
  return '0.0.0';
}

export const K8TS_VERSION = readVersion();
