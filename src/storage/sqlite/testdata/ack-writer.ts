// Child process of the kill -9 durability test (sqlite-store.test.ts): writes as fast as it can
// from several concurrent workers and prints "<revision> <key>" for each write once it is
// acknowledged. stdout is a pipe, which Node writes synchronously on Linux: a printed line was acked.
import { SqliteStore } from '../sqlite-store.js';

const file = process.argv[2];
if (!file) throw new Error('usage: ack-writer.ts DB_FILE');
const store = SqliteStore.open(file);
let next = 0;

async function worker(): Promise<void> {
  for (;;) {
    const key = `/durable/${next++}`;
    const kv = await store.create(key, `value of ${key}`);
    process.stdout.write(`${kv.modRevision} ${key}\n`);
  }
}

for (let w = 0; w < 16; w++) void worker();
