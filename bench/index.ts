// `npm run bench [store|api]`: prints the benchmark figures (not timed tests).
import { benchStore, printTable } from './store.js';
import { benchApi } from './api.js';

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
