// `npm run bench [store|api|scheduler|kubelet|services]`: prints the benchmark figures (not timed tests).
import { benchStore, printTable } from './store.js';
import { benchApi } from './api.js';
import { benchScheduler } from './scheduler.js';
import { benchKubelet } from './kubelet.js';
import { benchServices, printServices } from './services.js';

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
if (which === 'all' || which === 'kubelet') {
  console.log('');
  console.log('== kubelet, process runtime: pod create → Running+Ready by watch (100 `sleep` pods, 10 concurrent clients;');
  console.log('   20 `node -e` HTTP pods with a readiness probe); CPU/RSS are of the whole `k8ts server` process');
  console.log('   (API server + controllers + scheduler + kubelet), idle vs with 100 pods; pod processes apart ==');
  const r = await benchKubelet();
  for (const [k, v] of Object.entries(r)) console.log(`${k.padEnd(32)} ${v.toFixed(1)}`);
}
if (which === 'all' || which === 'services') {
  console.log('');
  console.log('== services: HTTP keep-alive load direct vs userspace proxy (NodePort) vs ingress, cluster DNS queries/s,');
  console.log('   endpoint propagation (pod Ready → first request through the NodePort reaching it); `k8ts server` with');
  console.log('   --proxy-mode userspace, process runtime, all traffic to the node\'s own IP ==');
  printServices(await benchServices());
}
