import { describe, expect, it } from 'vitest';
import { strategyFor } from './index.js';
import type { KObject } from './types.js';

const messages = (errs: { toString(): string }[]) => errs.map(String);
const jobs = strategyFor('batch', 'Job');
const cronJobs = strategyFor('batch', 'CronJob');

function createJob(spec: Record<string, any>, name = 'pi'): KObject {
  const obj: KObject = { metadata: { name, namespace: 'default' }, spec };
  jobs.default!(obj);
  Object.assign(obj.metadata!, { uid: '0f0e-uid', creationTimestamp: '2024-01-01T00:00:00Z', generation: 1 });
  jobs.prepareForCreate!(obj);
  return obj;
}

const podTemplate = (restartPolicy?: string) => ({
  spec: { ...(restartPolicy ? { restartPolicy } : {}), containers: [{ name: 'pi', image: 'perl:5.34.0' }] },
});

describe('Job', () => {
  it('stores upstream defaults and the generated selector', () => {
    const job = createJob({ template: podTemplate('Never') });
    const labels = {
      'batch.kubernetes.io/controller-uid': '0f0e-uid',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': '0f0e-uid',
      'job-name': 'pi',
    };
    expect(job.spec).toEqual({
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': '0f0e-uid' } },
      suspend: false,
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'pi', image: 'perl:5.34.0', imagePullPolicy: 'IfNotPresent', resources: {}, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' },
          ],
          dnsPolicy: 'ClusterFirst',
          restartPolicy: 'Never',
          schedulerName: 'default-scheduler',
          securityContext: {},
          terminationGracePeriodSeconds: 30,
        },
      },
    });
    expect(job.metadata!.labels).toEqual(labels);
    expect(job.status).toEqual({});
    expect(jobs.validate(job)).toEqual([]);
  });

  it('defaults only parallelism when completions is set', () => {
    const job = createJob({ completions: 5, template: podTemplate('OnFailure') });
    expect([job.spec.completions, job.spec.parallelism]).toEqual([5, 1]);
  });

  it('requires OnFailure or Never', () => {
    expect(messages(jobs.validate(createJob({ template: podTemplate() })))).toEqual([
      'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]);
  });

  it('checks manual selectors against the template', () => {
    const job = createJob({
      manualSelector: true,
      selector: { matchLabels: { app: 'pi' } },
      template: { metadata: { labels: { app: 'other' } }, ...podTemplate('Never') },
    });
    expect(job.spec.template.metadata.labels).toEqual({ app: 'other' });
    expect(messages(jobs.validate(job))).toEqual([
      'spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`',
    ]);
  });

  it('requires completions for Indexed jobs', () => {
    const job = createJob({ completionMode: 'Indexed', parallelism: 2, template: podTemplate('Never') });
    expect(messages(jobs.validate(job))).toEqual(['spec.completions: Required value: when completion mode is Indexed']);
  });

  it('keeps the selector, completions and template immutable', () => {
    const job = createJob({ template: podTemplate('Never') });
    const next = structuredClone(job);
    next.spec.completions = 3;
    next.spec.template.spec.containers[0].image = 'perl:5.36';
    const errs = messages(jobs.validateUpdate(next, job));
    expect(errs[0]).toBe('spec.completions: Invalid value: 3: field is immutable');
    expect(errs[1]).toMatch(/^spec\.template: Invalid value: \{.*\}: field is immutable$/);
    const suspended = structuredClone(job);
    suspended.spec.suspend = true;
    suspended.spec.parallelism = 4;
    expect(jobs.validateUpdate(suspended, job)).toEqual([]);
  });

  it('lets a suspended job that never started change its scheduling directives', () => {
    const job = createJob({ suspend: true, template: podTemplate('Never') });
    const next = structuredClone(job);
    next.spec.template.spec.nodeSelector = { zone: 'a' };
    expect(jobs.validateUpdate(next, job)).toEqual([]);
  });
});

describe('CronJob', () => {
  function createCronJob(spec: Record<string, any>, name = 'hello'): KObject {
    const obj: KObject = { metadata: { name, namespace: 'default' }, spec };
    cronJobs.default!(obj);
    Object.assign(obj.metadata!, { uid: 'u', creationTimestamp: '2024-01-01T00:00:00Z', generation: 1 });
    cronJobs.prepareForCreate!(obj);
    return obj;
  }
  const jobTemplate = (restartPolicy = 'OnFailure') => ({ spec: { template: podTemplate(restartPolicy) } });

  it('stores upstream defaults', () => {
    const cj = createCronJob({ schedule: '*/1 * * * *', jobTemplate: jobTemplate() });
    expect(cj.spec).toMatchObject({ concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec.jobTemplate.spec.backoffLimit).toBeUndefined();
    expect(cj.spec.jobTemplate.spec.template.spec.dnsPolicy).toBe('ClusterFirst');
    expect(cronJobs.validate(cj)).toEqual([]);
  });

  it.each([
    ['bad schedule', { schedule: 'every minute', jobTemplate: jobTemplate() }, [
      'spec.schedule: Invalid value: "every minute": expected exactly 5 fields, found 2: [every minute]',
    ]],
    ['TZ in schedule', { schedule: 'TZ=UTC 0 * * * *', jobTemplate: jobTemplate() }, [
      'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
    ]],
    ['unknown time zone', { schedule: '0 * * * *', timeZone: 'Mars/Base', jobTemplate: jobTemplate() }, [
      'spec.timeZone: Invalid value: "Mars/Base": unknown time zone Mars/Base',
    ]],
    ['concurrency policy', { schedule: '@hourly', concurrencyPolicy: 'Sometimes', jobTemplate: jobTemplate() }, [
      'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
    ]],
    ['job template restart policy', { schedule: '@hourly', jobTemplate: jobTemplate('Always') }, [
      'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
    ]],
  ])('%s', (_n, spec, want) => {
    expect(messages(cronJobs.validate(createCronJob(spec)))).toEqual(want);
  });

  it('limits names to 52 characters', () => {
    const name = 'a'.repeat(53);
    expect(messages(cronJobs.validate(createCronJob({ schedule: '@daily', jobTemplate: jobTemplate() }, name)))).toEqual([
      `metadata.name: Invalid value: "${name}": must be no more than 52 characters`,
    ]);
  });
});
