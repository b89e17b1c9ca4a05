import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONFIG_HASH, CONFIG_SOURCE, ManifestSource, isStaticPod, staticPodFrom } from './manifest-source.js';

const manifest = (name: string, cmd = 'sleep 60') => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {app: ${name}}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "${cmd}"]
`;

describe('staticPodFrom', () => {
  const seen = new Date('2026-11-22T01:00:00.123Z');

  it('applies the static-pod defaults', () => {
    const pod = staticPodFrom('/etc/manifests/web.yaml', manifest('web'), 'node-a', seen) as Pod;
    expect(pod.metadata).toMatchObject({
      name: 'web-node-a', namespace: 'default', labels: { app: 'web' },
      uid: expect.stringMatching(/^[0-9a-f]{32}$/),
      annotations: { [CONFIG_SOURCE]: 'file', 'kubernetes.io/config.seen': '2026-11-22T01:00:00.123Z' },
    });
    expect(pod.metadata!.annotations![CONFIG_HASH]).toBe(pod.metadata!.uid);
    expect(pod.spec).toMatchObject({ nodeName: 'node-a', tolerations: [{ operator: 'Exists', effect: 'NoExecute' }] });
    expect(pod.status).toEqual({ phase: 'Pending' });
    expect(isStaticPod(pod)).toBe(true);
  });

  it('hashes the content, the node and the file into the UID', () => {
    const uid = (file: string, text: string, node: string) => (staticPodFrom(file, text, node, seen) as Pod).metadata!.uid;
    const base = uid('/m/web.yaml', manifest('web'), 'a');
    expect(uid('/m/web.yaml', manifest('web'), 'a')).toBe(base);
    expect(uid('/m/web.yaml', manifest('web', 'sleep 61'), 'a')).not.toBe(base);
    expect(uid('/m/web.yaml', manifest('web'), 'b')).not.toBe(base);
    expect(uid('/m/other.yaml', manifest('web'), 'a')).not.toBe(base);
  });

  it('says why a file is not a static pod', () => {
    expect(staticPodFrom('f', 'kind: [', 'n', seen)).toEqual({ error: expect.stringMatching(/^cannot parse/) });
    expect(staticPodFrom('f', 'apiVersion: v1\nkind: Service\nmetadata: {name: x}', 'n', seen)).toEqual({ error: 'is not a v1 Pod (kind "Service")' });
    expect(staticPodFrom('f', `${manifest('a')}---\n${manifest('b')}`, 'n', seen)).toEqual({ error: expect.stringMatching(/holds 2 objects/) });
    expect(staticPodFrom('f', 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec: {containers: []}', 'n', seen)).toEqual({ error: 'has no containers' });
  });
});

describe('ManifestSource', () => {
  let dir: string;
  let reports: Map<string, Pod>[];
  let warnings: string[];
  let src: ManifestSource;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'k8ts-manifests-'));
    reports = [];
    warnings = [];
    src = new ManifestSource({ dir, nodeName: 'n1', onPods: (p) => reports.push(p), warn: (m) => warnings.push(m), periodMs: 3_600_000 });
  });
  afterEach(() => {
    src.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const names = (m: Map<string, Pod>) => [...m.values()].map((p) => p.metadata!.name).sort();

  it('reports the set when files are added, changed or removed, and skips bad files once', () => {
    writeFileSync(join(dir, 'a.yaml'), manifest('a'));
    writeFileSync(join(dir, 'notes.txt'), 'not a manifest');
    writeFileSync(join(dir, 'bad.yml'), 'kind: [');
    src.scan();
    expect(reports.map(names)).toEqual([['a-n1']]);
    expect(warnings).toEqual([expect.stringMatching(/bad\.yml cannot parse/)]);
    src.scan();
    expect(reports).toHaveLength(1); // nothing changed
    expect(warnings).toHaveLength(1);

    const firstUid = [...reports[0].keys()][0];
    writeFileSync(join(dir, 'a.yaml'), manifest('a', 'sleep 99'));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'b', namespace: 'kube-system' }, spec: { containers: [{ name: 'c', image: 'x', command: ['true'] }] } }));
    src.scan();
    expect(reports.map(names)[1]).toEqual(['a-n1', 'b-n1']);
    expect(reports[1].has(firstUid)).toBe(false); // a changed pod is a new pod
    expect([...reports[1].values()].find((p) => p.metadata!.name === 'b-n1')!.metadata!.namespace).toBe('kube-system');

    unlinkSync(join(dir, 'a.yaml'));
    src.scan();
    expect(reports.map(names)[2]).toEqual(['b-n1']);
  });

  it('keeps only the first file that names a pod', () => {
    writeFileSync(join(dir, '1.yaml'), manifest('same'));
    writeFileSync(join(dir, '2.yaml'), manifest('same', 'sleep 5'));
    src.scan();
    expect(reports.map(names)).toEqual([['same-n1']]);
    expect(warnings).toEqual([expect.stringMatching(/2\.yaml names pod default\/same-n1 again/)]);
  });
});
