import { describe, expect, it } from 'vitest';
import { makePod } from '../testing/wrappers.js';
import { podRequests } from './resource.js';

describe('podRequests', () => {
  const table = [
    { name: 'sums containers', pod: makePod('p', { containers: [{ cpu: '1', memory: '1Gi' }, { cpu: '500m', memory: '1Gi' }] }), want: { milliCPU: 1500, memory: 2 * 2 ** 30 } },
    {
      name: 'init containers raise the maximum',
      pod: makePod('p', { containers: [{ cpu: '2', memory: '1G' }, { cpu: '1', memory: '1G' }], initContainers: [{ cpu: '2', memory: '1G' }, { cpu: '2', memory: '3G' }] }),
      want: { milliCPU: 3000, memory: 3e9 },
    },
    { name: 'overhead is added', pod: makePod('p', { containers: [{ cpu: '100m' }], overhead: { cpu: '250m', memory: '120Mi' } }), want: { milliCPU: 350, memory: 120 * 2 ** 20 } },
    { name: 'fractions round up', pod: makePod('p', { containers: [{ cpu: '0.0001', memory: '1.5' }] }), want: { milliCPU: 1, memory: 2 } },
  ];
  for (const t of table) {
    it(t.name, () => {
      const r = podRequests(t.pod);
      expect({ milliCPU: r.milliCPU, memory: r.memory }).toEqual(t.want);
    });
  }

  it('counts defaults for unset requests when non-zero', () => {
    const r = podRequests(makePod('p', { containers: [{}, { cpu: '1' }] }), { nonZero: true });
    expect(r.milliCPU).toBe(1100);
    expect(r.memory).toBe(400 * 2 ** 20);
  });

  it('counts sidecars alongside later init containers and the main containers', () => {
    const pod = makePod('p', { containers: [{ cpu: '1' }], initContainers: [{ cpu: '500m' }, { cpu: '2' }] });
    pod.spec!.initContainers![0]!.restartPolicy = 'Always';
    expect(podRequests(pod).milliCPU).toBe(2500);
  });
});
