import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { generate, render, referenceDir, outputPath } from './gen-schema.js';

const haveReference = existsSync(referenceDir);
if (!haveReference) console.warn(`SKIPPED: schema regeneration check — reference definitions not found at ${referenceDir}`);

describe.skipIf(!haveReference)('generated schema', () => {
  it('regenerating from the reference definitions gives the committed schema.json', () => {
    expect(render(generate()) === readFileSync(outputPath, 'utf8')).toBe(true);
  });
});
