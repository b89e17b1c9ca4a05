import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeProxyCluster, type NodeProxyCluster } from './testing/harness.js';

let c: NodeProxyCluster;
const one = { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox' }] };

beforeAll(async () => {
  c = await startNodeProxyCluster();
  await c.createPod('single', one, { phase: 'Running' });
  await c.createPod('multi', {
    nodeName: 'node-1',
    initContainers: [{ name: 'init', image: 'busybox' }],
    containers: [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }],
  }, { annotations: { 'kubectl.kubernetes.io/default-container': 'b' } });
  await c.createPod('pending', { containers: [{ name: 'app', image: 'busybox' }] });
});
afterAll(async () => c?.stop());

const log = (pod: string, q = '') => `/api/v1/namespaces/default/pods/${pod}/log${q}`;

describe('pods/log', () => {
  it('streams the kubelet log of the only container, as the kubelet-client user with the translated query', async () => {
    const r = await c.call('GET', log('single', '?tailLines=5&timestamps=true&limitBytes=100&sinceSeconds=10'));
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain');
    expect(r.text).toBe('line 1\nline 2\n');
    const seen = c.kubelet.seen.at(-1)!;
    expect(seen.url).toBe('/containerLogs/default/single/app?limitBytes=100&sinceSeconds=10&tailLines=5&timestamps=true');
    expect(seen.clientCn).toBe('kube-apiserver-kubelet-client');
    expect(seen.headers.authorization).toBeUndefined();
  });

  it('follows until the client goes away, then stops the kubelet request', async () => {
    const res = await c.open('GET', log('single', '?follow=true&container=app'));
    expect(res.statusCode).toBe(200);
    let text = '';
    for await (const chunk of res) {
      text += (chunk as Buffer).toString();
      if (text.includes('tick 2')) break; // leaving the loop destroys the response
    }
    expect(text.startsWith('line 1\nline 2\ntick 0\n')).toBe(true);
    expect(c.kubelet.seen.at(-1)!.url).toBe('/containerLogs/default/single/app?follow=true');
    await c.kubelet.followClosed;
  });

  it.each([
    ['no container named in a pod with several', 'multi', '', 400, 'a container name must be specified for pod multi, choose one of: [init a b]'],
    ['an unknown container', 'single', '?container=nope', 400, 'container nope is not valid for pod single'],
    ['negative tailLines', 'single', '?tailLines=-1', 422, 'PodLogOptions "single" is invalid: tailLines: Invalid value: -1: must be greater than or equal to 0'],
    ['zero limitBytes', 'single', '?limitBytes=0', 422, 'PodLogOptions "single" is invalid: limitBytes: Invalid value: 0: must be greater than 0'],
    ['sinceSeconds with sinceTime', 'single', '?sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z', 422, 'at most one of `sinceTime` or `sinceSeconds` may be specified'],
    ['a malformed number', 'single', '?tailLines=x', 400, 'strconv.ParseInt: parsing "x": invalid syntax'],
    ['a missing pod', 'ghost', '', 404, 'pods "ghost" not found'],
  ])('%s → %i', async (_name, pod, q, code, message) => {
    const r = await c.call('GET', log(pod, q));
    expect(r.status).toBe(code);
    expect(r.json().kind).toBe('Status');
    expect(r.json().message).toContain(message);
  });

  it('answers 204 for a pod not scheduled yet, as upstream does', async () => {
    const r = await c.call('GET', log('pending'));
    expect(r.status).toBe(204);
    expect(r.text).toBe('');
  });

  it('relays a kubelet error with its code and message', async () => {
    c.kubelet.logError = { code: 400, message: 'container "app" in pod "single" is waiting to start: ContainerCreating' };
    try {
      const r = await c.call('GET', log('single'));
      expect(r.status).toBe(400);
      expect(r.json()).toMatchObject({ reason: 'BadRequest', message: 'container "app" in pod "single" is waiting to start: ContainerCreating' });
    } finally {
      c.kubelet.logError = undefined;
    }
  });

  it('answers 405 to POST', async () => {
    const r = await c.call('POST', log('single'), { body: '{}' });
    expect(r.status).toBe(405);
  });

  it('answers 503 with a clear message when the node has no address', async () => {
    await c.addNode('node-2', { addresses: [] });
    await c.createPod('elsewhere', { nodeName: 'node-2', containers: [{ name: 'app', image: 'busybox' }] });
    const r = await c.call('GET', log('elsewhere'));
    expect(r.status).toBe(503);
    expect(r.json().message).toContain('node "node-2" has no address');
  });

  it('answers 503 when the kubelet does not answer', async () => {
    await c.addNode('node-3', { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: 1 } } });
    await c.createPod('down', { nodeName: 'node-3', containers: [{ name: 'app', image: 'busybox' }] });
    const r = await c.call('GET', log('down'));
    expect(r.status).toBe(503);
    expect(r.json().message).toMatch(/^error dialing backend: node "node-3" kubelet at 127\.0\.0\.1:1: .*ECONNREFUSED/);
  });
});
