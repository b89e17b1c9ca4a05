// `npm run bench [store|api]`: prints the benchmark figures (not timed tests).
import { benchStore, printTable } from './store.js';
import { benchApi } from './api.js';
import { benchScheduler } from './scheduler.js';

const which = process.argv[2] ?? 'all';
if (which === 'all' || which === 'store') {
  console.log('== store (SQLite durable vs memory) ==');
  printTable(await benchStore());
  console.log('');
}
if (which === 'all' || which === 'api') {
  console.log('== API server over HTTPS (SQLite store) ==');
  const r = await benchApi();
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(26)} ${v.toFixed(1)}`);
}
if (which === 'all' || which === 'scheduler') {
  console.log('');
  console.log('== scheduler, 5,000 nodes, in-process API server (BENCH_SCALE to shrink) ==');
  const r = await benchScheduler();
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(36)} ${v.toFixed(1)}`);
}
