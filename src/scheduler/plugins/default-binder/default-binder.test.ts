import { describe, expect, it } from 'vitest';
import { resources, RestClient } from '../../../client/index.js';
import { FakeApiServer } from '../../../client/testing/index.js';
import { CycleState } from '../../framework/cycle-state.js';
import { Code } from '../../framework/status.js';
import { makePod } from '../../testing/wrappers.js';
import { newDefaultBinder } from './index.js';

describe('DefaultBinder', () => {
  it('posts a Binding to pods/binding', async () => {
    const api = new FakeApiServer();
    const pod = api.seed(resources.pods, makePod('p'));
    const s = await newDefaultBinder(new RestClient(api)).bind(new CycleState(), pod, 'n1');
    expect(s).toBeUndefined();
    const w = api.writes()[0]!;
    expect(w).toMatchObject({ verb: 'create', resource: 'pods', subresource: 'binding', name: 'p', namespace: 'default' });
    expect(w.body).toMatchObject({ kind: 'Binding', metadata: { name: 'p', uid: pod.metadata!.uid }, target: { kind: 'Node', name: 'n1' } });
    expect(api.get(resources.pods, 'default', 'p')!.spec!.nodeName).toBe('n1');
  });

  it('answers an Error status when the API refuses', async () => {
    const api = new FakeApiServer();
    const s = await newDefaultBinder(new RestClient(api)).bind(new CycleState(), makePod('gone'), 'n1');
    expect(s?.code).toBe(Code.Error);
  });
});
