import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryStore, openStore, SqliteStore } from './index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'k8ts-open-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('openStore', () => {
  it('defaults to SQLite in <dataDir>/db/state.db', async () => {
    for (const endpoint of [undefined, '', 'sqlite://']) {
      const store = await openStore(endpoint, dataDir);
      expect(store).toBeInstanceOf(SqliteStore);
      await store.close();
    }
    expect(existsSync(join(dataDir, 'db', 'state.db'))).toBe(true);
  });

  it('opens SQLite at the path of a sqlite:// endpoint, creating directories', async () => {
    const file = join(dataDir, 'elsewhere', 'deep', 'k.db');
    const store = await openStore(`sqlite://${file}?_journal=WAL`, dataDir);
    await store.create('/k', 'v');
    await store.close();
    expect(existsSync(file)).toBe(true);
  });

  it('opens the memory backend for memory://', async () => {
    const store = await openStore('memory://', dataDir);
    expect(store).toBeInstanceOf(MemoryStore);
    await store.close();
  });

  it('says etcd is not built yet, and refuses unknown schemes', async () => {
    await expect(openStore('etcd://127.0.0.1:2379', dataDir)).rejects.toThrow(/etcd backend is not built yet/);
    await expect(openStore('https://10.0.0.1:2379', dataDir)).rejects.toThrow(/etcd backend is not built yet/);
    await expect(openStore('mysql://db', dataDir)).rejects.toThrow(/unsupported scheme "mysql:\/\/"/);
    await expect(openStore('state.db', dataDir)).rejects.toThrow(/unsupported scheme/);
  });
});
