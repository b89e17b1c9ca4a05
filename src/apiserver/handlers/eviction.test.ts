// pods/eviction against a real in-process API server (memory store), with PDB status written by
// hand (no disruption controller here): what upstream's eviction REST answers in each case.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { ApiError, RestClient, isNotFound, resources } from '../../client/index.js';
import { inProcessTransport } from '../../cli/in-process-transport.js';
import { encodeProtobufBody } from '../../api/protobuf/index.js';
import { loadSchema } from '../../api/schema/index.js';
import { startApiServer, type RunningApiServer } from '../api-server.js';

let server: RunningApiServer;
let dir: string;
let client: RestClient;
const NS = 'default';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-evict-'));
  server = await startApiServer({ dataDir: dir, bindAddress: '127.0.0.1', port: 0, datastoreEndpoint: 'memory://' });
  // No 429 retries: the tests look at the answers themselves.
  client = new RestClient(inProcessTransport(server, { name: 'admin', groups: ['system:masters', 'system:authenticated'] }), { maxRetries: 0 });
}, 30_000);

afterAll(async () => {
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const pods = () => client.resource(resources.pods).namespace(NS);
const pdbs = () => client.resource(resources.podDisruptionBudgets).namespace(NS);

async function runningPod(name: string, labels: Record<string, string>, o: { ready?: boolean; phase?: string; nodeName?: string } = {}): Promise<Pod> {
  const p = await pods().create({
    metadata: { name, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(o.nodeName ? { nodeName: o.nodeName } : {}) },
  });
  return pods().updateStatus({
    ...p,
    status: { phase: o.phase ?? 'Running', conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
  });
}

async function budget(name: string, app: string, status: Partial<NonNullable<PodDisruptionBudget['status']>>, spec: Partial<PodDisruptionBudget['spec']> = {}): Promise<PodDisruptionBudget> {
  const b = await pdbs().create({ metadata: { name }, spec: { minAvailable: 2, selector: { matchLabels: { app } }, ...spec } });
  return pdbs().updateStatus({
    ...b,
    status: { currentHealthy: 3, desiredHealthy: 2, expectedPods: 3, disruptionsAllowed: 1, observedGeneration: 1, ...status },
  });
}

function evict(name: string, body: Record<string, unknown> = {}, dryRun = false): Promise<Record<string, unknown>> {
  return pods().createSubresource(name, 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: NS }, ...body }, { dryRun });
}

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the request to fail');
}

async function gone(name: string): Promise<boolean> {
  try {
    await pods().get(name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

describe('pods/eviction', () => {
  it('without a budget deletes the pod and answers 201 Success', async () => {
    await runningPod('free', { app: 'free' });
    const res = await evict('free');
    expect(res).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    expect(await gone('free')).toBe(true);
  });

  it('takes a disruption from the budget, then refuses with 429 once none is left', async () => {
    await runningPod('w1', { app: 'web' });
    await runningPod('w2', { app: 'web' });
    await budget('web-pdb', 'web', {});
    await evict('w1');
    expect(await gone('w1')).toBe(true);
    const after = await pdbs().get('web-pdb');
    expect(after.status?.disruptionsAllowed).toBe(0);
    expect(Object.keys(after.status?.disruptedPods ?? {})).toEqual(['w1']);
    expect(after.status?.conditions).toEqual([expect.objectContaining({ type: 'DisruptionAllowed', status: 'False', reason: 'InsufficientPods' })]);

    const err = await failure(evict('w2'));
    expect(err.code).toBe(429);
    expect(err.reason).toBe('TooManyRequests');
    expect(err.message).toBe("Cannot evict pod as it would violate the pod's disruption budget.");
    expect(err.details?.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 2 healthy pods and has 3 currently' }]);
    expect(err.details?.retryAfterSeconds).toBeUndefined();
    expect(await gone('w2')).toBe(false);
  });

  it('refuses while the budget status is older than its spec (429, retry after 10 s)', async () => {
    await runningPod('s1', { app: 'stale' });
    await budget('stale-pdb', 'stale', { observedGeneration: 0 });
    const err = await failure(evict('s1'));
    expect(err.code).toBe(429);
    expect(err.details).toMatchObject({ retryAfterSeconds: 10, causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget stale-pdb is still being processed by the server.' }] });
  });

  it('answers 500 when more than one budget selects the pod', async () => {
    await runningPod('m1', { app: 'multi', tier: 'a' });
    await budget('multi-1', 'multi', {});
    await pdbs().create({ metadata: { name: 'multi-2' }, spec: { maxUnavailable: 1, selector: { matchLabels: { tier: 'a' } } } });
    const err = await failure(evict('m1'));
    expect(err.code).toBe(500);
    expect(err.message).toBe('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
    expect(await gone('m1')).toBe(false);
  });

  it('deletes Pending and finished pods without looking at the budget', async () => {
    await budget('closed', 'closed', { disruptionsAllowed: 0 });
    await runningPod('pending', { app: 'closed' }, { phase: 'Pending' });
    await runningPod('done', { app: 'closed' }, { phase: 'Succeeded' });
    await evict('pending');
    await evict('done');
    expect(await gone('pending')).toBe(true);
    expect(await gone('done')).toBe(true);
    expect((await pdbs().get('closed')).status?.disruptedPods).toBeUndefined();
  });

  it('deletes an unready pod while the budget is healthy, without taking a disruption', async () => {
    await budget('healthy', 'healthy', { disruptionsAllowed: 0, currentHealthy: 2, desiredHealthy: 2 });
    await runningPod('sick', { app: 'healthy' }, { ready: false });
    await evict('sick');
    expect(await gone('sick')).toBe(true);
    // With too few healthy pods the unready one is protected too, unless AlwaysAllow.
    await budget('short', 'short', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 });
    await runningPod('sick2', { app: 'short' }, { ready: false });
    expect((await failure(evict('sick2'))).code).toBe(429);
    await budget('always', 'always', { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 2 }, { unhealthyPodEvictionPolicy: 'AlwaysAllow' });
    await runningPod('sick3', { app: 'always' }, { ready: false });
    await evict('sick3');
    expect(await gone('sick3')).toBe(true);
  });

  it('honours dryRun (query or body): nothing changes', async () => {
    await runningPod('dry', { app: 'dry' });
    await budget('dry-pdb', 'dry', {});
    expect(await evict('dry', {}, true)).toMatchObject({ status: 'Success' });
    await evict('dry', { deleteOptions: { dryRun: ['All'] } });
    expect(await gone('dry')).toBe(false);
    const b = await pdbs().get('dry-pdb');
    expect(b.status?.disruptionsAllowed).toBe(1);
    expect(b.status?.disruptedPods).toBeUndefined();
    expect((await pods().get('dry')).status?.conditions?.some((c) => c.type === 'DisruptionTarget')).toBe(false);
  });

  it('checks the name and the deleteOptions preconditions', async () => {
    await runningPod('pre', { app: 'pre' });
    const bad = await failure(pods().createSubresource('pre', 'eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'other' } }));
    expect(bad.code).toBe(400);
    expect(bad.message).toBe('name in URL does not match name in Eviction object');
    const conflict = await failure(evict('pre', { deleteOptions: { preconditions: { uid: 'not-the-uid' } } }));
    expect(conflict.code).toBe(409);
    const stale = await failure(evict('pre', { deleteOptions: { preconditions: { resourceVersion: '1' } } }));
    expect(stale.code).toBe(409);
    const p = await pods().get('pre');
    await evict('pre', { deleteOptions: { preconditions: { uid: p.metadata?.uid, resourceVersion: p.metadata?.resourceVersion } } });
    expect(await gone('pre')).toBe(true);
  });

  it('marks a pod on a node DisruptionTarget and deletes it gracefully, or at once with gracePeriodSeconds 0', async () => {
    await runningPod('bound', { app: 'bound' }, { nodeName: 'n1' });
    await evict('bound');
    const p = await pods().get('bound');
    expect(p.metadata?.deletionTimestamp).toBeDefined();
    expect(p.status?.conditions).toContainEqual(expect.objectContaining({ type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' }));
    // Already terminating: deleted again without a budget check, the grace period shortened.
    await evict('bound', { deleteOptions: { gracePeriodSeconds: 0 } });
    expect(await gone('bound')).toBe(true);
  });

  it('accepts a protobuf Eviction, as Go clients send it', async () => {
    await runningPod('proto', { app: 'proto' });
    const body = encodeProtobufBody({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'proto', namespace: NS } }, loadSchema());
    const res = await client.send({ method: 'POST', path: `/api/v1/namespaces/${NS}/pods/proto/eviction`, headers: { 'content-type': 'application/vnd.kubernetes.protobuf' }, body });
    expect(res.status).toBe(201);
    expect(await gone('proto')).toBe(true);
  });

  it('answers 404 for a missing pod and 405 for other verbs', async () => {
    expect((await failure(evict('nobody'))).code).toBe(404);
    const err = await failure(client.send({ method: 'GET', path: `/api/v1/namespaces/${NS}/pods/nobody/eviction` }));
    expect(err.code).toBe(405);
  });
});
