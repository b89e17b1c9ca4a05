import { describe, expect, it } from 'vitest';
import { BEHAVIOR_ANNOTATION, canConvert, CONDITIONS_ANNOTATION, convert, ConversionError, CURRENT_METRICS_ANNOTATION, METRICS_ANNOTATION } from './index.js';

type Obj = Record<string, any>;

describe('Event: core/v1 ↔ events.k8s.io/v1', () => {
  const core: Obj = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'p.17c', namespace: 'default', creationTimestamp: '2024-05-06T07:08:09Z' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'p', uid: 'u1', apiVersion: 'v1', resourceVersion: '5', fieldPath: 'spec.containers{c}' },
    reason: 'Pulled',
    message: 'Successfully pulled image',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: '2024-05-06T07:08:09Z',
    lastTimestamp: '2024-05-06T07:09:09Z',
    count: 3,
    type: 'Normal',
    eventTime: null,
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
  };
  const events: Obj = {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: core.metadata,
    eventTime: null,
    reportingController: 'kubelet',
    reportingInstance: 'node-1',
    reason: 'Pulled',
    regarding: core.involvedObject,
    note: 'Successfully pulled image',
    type: 'Normal',
    deprecatedSource: { component: 'kubelet', host: 'node-1' },
    deprecatedFirstTimestamp: '2024-05-06T07:08:09Z',
    deprecatedLastTimestamp: '2024-05-06T07:09:09Z',
    deprecatedCount: 3,
  };

  it('maps every field', () => {
    expect(convert(core, 'events.k8s.io/v1')).toEqual(events);
    expect(convert(events, 'v1')).toEqual(core);
  });

  it('round-trips a new-style event with series, action and related', () => {
    const ev: Obj = {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: 'e', namespace: 'default' },
      eventTime: '2024-05-06T07:08:09.123456Z',
      series: { count: 4, lastObservedTime: '2024-05-06T07:10:00.000000Z' },
      reportingController: 'k8ts.io/scheduler',
      reportingInstance: 'k8ts-scheduler-1',
      action: 'Binding',
      reason: 'Scheduled',
      regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
      related: { kind: 'Node', name: 'node-1' },
      note: 'assigned default/p to node-1',
      type: 'Normal',
      deprecatedSource: {},
      deprecatedFirstTimestamp: null,
      deprecatedLastTimestamp: null,
    };
    const c = convert(ev, 'v1') as Obj;
    expect(c).toMatchObject({ involvedObject: ev.regarding, related: ev.related, action: 'Binding', series: ev.series, message: ev.note, reportingComponent: 'k8ts.io/scheduler', source: {}, firstTimestamp: null });
    expect(c.count).toBeUndefined();
    expect(convert(c, 'events.k8s.io/v1')).toEqual(ev);
  });

  it('prints Go zero values for an empty event', () => {
    expect(convert({ apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'x' } }, 'v1')).toEqual({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: 'x' },
      involvedObject: {},
      source: {},
      firstTimestamp: null,
      lastTimestamp: null,
      eventTime: null,
      reportingComponent: '',
      reportingInstance: '',
    });
  });

  it('does not modify its input', () => {
    const copy = structuredClone(core);
    const out = convert(core, 'events.k8s.io/v1') as Obj;
    out.metadata.name = 'changed';
    expect(core).toEqual(copy);
  });
});

describe('HorizontalPodAutoscaler: autoscaling/v1 ↔ v2', () => {
  const v1: Obj = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'd', namespace: 'default', creationTimestamp: null },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'd', apiVersion: 'apps/v1' }, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
    status: { currentReplicas: 0, desiredReplicas: 0 },
  };

  it('turns targetCPUUtilizationPercentage into a Resource cpu Utilization metric and back', () => {
    const v2 = convert(v1, 'autoscaling/v2') as Obj;
    expect(v2).toEqual({
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: v1.metadata,
      spec: {
        scaleTargetRef: v1.spec.scaleTargetRef,
        maxReplicas: 5,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
      },
      status: { desiredReplicas: 0 },
    });
    expect(convert(v2, 'autoscaling/v1')).toEqual(v1);
  });

  it('defaults to 80% cpu when v1 says nothing', () => {
    const bare = { ...v1, spec: { scaleTargetRef: v1.spec.scaleTargetRef, minReplicas: 2, maxReplicas: 5 } };
    const v2 = convert(bare, 'autoscaling/v2') as Obj;
    expect(v2.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect((convert(v2, 'autoscaling/v1') as Obj).spec).toEqual({ ...bare.spec, targetCPUUtilizationPercentage: 80 });
  });

  const full: Obj = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default', annotations: { keep: 'me' } },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps', selector: { matchLabels: { b: '2', a: '1' } } }, target: { type: 'AverageValue', averageValue: '1k' } } },
        { type: 'Object', object: { describedObject: { kind: 'Ingress', name: 'main', apiVersion: 'networking.k8s.io/v1' }, metric: { name: 'rps' }, target: { type: 'Value', value: '10k' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 70 } } },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
        scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }], tolerance: '50m' },
      },
    },
    status: {
      observedGeneration: 3,
      lastScaleTime: '2024-05-06T07:08:09Z',
      currentReplicas: 4,
      desiredReplicas: 5,
      currentMetrics: [
        { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '250m', averageUtilization: 55 } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '900' } } },
      ],
      conditions: [{ type: 'AbleToScale', status: 'True', lastTransitionTime: '2024-05-06T07:00:00Z', reason: 'ReadyForNewScale', message: 'ok' }],
    },
  };

  it('keeps what v1 cannot say in annotations, as upstream writes them', () => {
    const v1full = convert(full, 'autoscaling/v1') as Obj;
    expect(v1full.spec).toEqual({ scaleTargetRef: full.spec.scaleTargetRef, minReplicas: 2, maxReplicas: 10, targetCPUUtilizationPercentage: 60 });
    expect(v1full.status).toEqual({ observedGeneration: 3, lastScaleTime: '2024-05-06T07:08:09Z', currentReplicas: 4, desiredReplicas: 5, currentCPUUtilizationPercentage: 55 });
    const ann = v1full.metadata.annotations;
    expect(ann.keep).toBe('me');
    expect(ann[METRICS_ANNOTATION]).toBe(
      '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"500Mi"}},' +
        '{"type":"Pods","pods":{"metricName":"qps","targetAverageValue":"1k","selector":{"matchLabels":{"a":"1","b":"2"}}}},' +
        '{"type":"Object","object":{"target":{"kind":"Ingress","name":"main","apiVersion":"networking.k8s.io/v1"},"metricName":"rps","targetValue":"10k"}},' +
        '{"type":"External","external":{"metricName":"queue","targetAverageValue":"30"}},' +
        '{"type":"ContainerResource","containerResource":{"name":"cpu","targetAverageUtilization":70,"container":"app"}}]',
    );
    expect(ann[CURRENT_METRICS_ANNOTATION]).toBe(
      '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":55,"currentAverageValue":"250m"}},' +
        '{"type":"Pods","pods":{"metricName":"qps","currentAverageValue":"900"}}]',
    );
    expect(ann[CONDITIONS_ANNOTATION]).toBe('[{"type":"AbleToScale","status":"True","lastTransitionTime":"2024-05-06T07:00:00Z","reason":"ReadyForNewScale","message":"ok"}]');
    expect(ann[BEHAVIOR_ANNOTATION]).toBe(
      '{"ScaleUp":{"StabilizationWindowSeconds":0,"SelectPolicy":"Max","Policies":[{"Type":"Pods","Value":4,"PeriodSeconds":15},{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":null},' +
        '"ScaleDown":{"StabilizationWindowSeconds":300,"SelectPolicy":null,"Policies":[{"Type":"Percent","Value":100,"PeriodSeconds":15}],"Tolerance":"50m"}}',
    );
  });

  it('round-trips v2 → v1 → v2', () => {
    const back = convert(convert(full, 'autoscaling/v1'), 'autoscaling/v2') as Obj;
    const want = structuredClone(full);
    // v1 puts its own cpu metric last, after the ones from the annotation (as upstream does).
    want.spec.metrics = [...full.spec.metrics.slice(1), full.spec.metrics[0]];
    expect(back).toEqual(want);
  });

  it('replaces stale round-trip annotations on the way out and drops them on the way in', () => {
    const stale = structuredClone(full);
    stale.metadata.annotations[METRICS_ANNOTATION] = '[]';
    stale.spec.metrics = [full.spec.metrics[0]];
    delete stale.spec.behavior;
    delete stale.status.currentMetrics;
    delete stale.status.conditions;
    const v1out = convert(stale, 'autoscaling/v1') as Obj;
    expect(v1out.metadata.annotations).toEqual({ keep: 'me' });
    const v2 = convert({ ...v1out, metadata: { ...v1out.metadata, annotations: { [BEHAVIOR_ANNOTATION]: 'not json' } } }, 'autoscaling/v2') as Obj;
    expect(v2.metadata.annotations).toBeUndefined();
    expect(v2.spec.behavior).toBeUndefined();
  });
});

describe('convert', () => {
  it('returns the object itself for the same version', () => {
    const o = { apiVersion: 'v1', kind: 'Event' };
    expect(convert(o, 'v1')).toBe(o);
    expect(canConvert('Event', 'v1', 'v1')).toBe(true);
  });

  it('converts lists item by item', () => {
    const out = convert({ apiVersion: 'v1', kind: 'EventList', metadata: { resourceVersion: '9' }, items: [{ metadata: { name: 'a' }, message: 'm' }] }, 'events.k8s.io/v1') as Obj;
    expect(out.apiVersion).toBe('events.k8s.io/v1');
    expect(out.items[0]).toMatchObject({ note: 'm', deprecatedSource: {} });
    expect(out.items[0].apiVersion).toBeUndefined();
  });

  it('refuses pairs it does not know', () => {
    expect(canConvert('Pod', 'v1', 'v2')).toBe(false);
    expect(() => convert({ apiVersion: 'v1', kind: 'Pod' }, 'v2')).toThrow(ConversionError);
  });
});
