// Jobs and CronJobs.
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../selectors/label-selector.js';
import { boolPtrText, containerCells, humanDuration, int, parseTime, since } from './format.js';
import { AGE_COLUMN, CONTAINERS_COLUMN, IMAGES_COLUMN, NAME_COLUMN, SELECTOR_COLUMN, col, printer, type TablePrinter } from './types.js';

/** The status of the first condition of a type is what counts, as upstream's hasJobCondition. */
function hasCondition(conditions: JobCondition[] | undefined, type: string): boolean {
  const c = (conditions ?? []).find((x) => x.type === type);
  return c?.status === 'True';
}

function jobStatus(job: Job): string {
  const conds = job.status?.conditions;
  if (hasCondition(conds, 'Complete')) return 'Complete';
  if (hasCondition(conds, 'Failed')) return 'Failed';
  if (job.metadata?.deletionTimestamp) return 'Terminating';
  if (hasCondition(conds, 'Suspended')) return 'Suspended';
  if (hasCondition(conds, 'FailureTarget')) return 'FailureTarget';
  return 'Running';
}

function completions(job: Job): string {
  const succeeded = int(job.status?.succeeded);
  if (typeof job.spec?.completions === 'number') return `${succeeded}/${job.spec.completions}`;
  const parallelism = job.spec?.parallelism ?? 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: Job, now: number): string {
  const start = parseTime(job.status?.startTime);
  if (start === undefined) return '';
  const end = parseTime(job.status?.completionTime);
  return humanDuration((end ?? now) - start);
}

export const jobPrinter: TablePrinter = printer<Job>(
  [
    NAME_COLUMN,
    col('Status', 'string', 'Summary of the job conditions.'),
    col('Completions', 'string', 'Succeeded pods of the wanted completions.'),
    col('Duration', 'string', 'Time the job ran, or has been running.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (job, now) => {
    const [names, images] = containerCells(job.spec?.template?.spec?.containers);
    return [
      job.metadata?.name ?? '',
      jobStatus(job),
      completions(job),
      jobDuration(job, now),
      since(job.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(job.spec?.selector),
    ];
  },
);

export const cronJobPrinter: TablePrinter = printer<CronJob>(
  [
    NAME_COLUMN,
    col('Schedule', 'string', 'Cron schedule.'),
    col('Timezone', 'string', 'Time zone of the schedule.'),
    col('Suspend', 'boolean', 'Whether new runs are suspended.'),
    col('Active', 'integer', 'Jobs currently running.'),
    col('Last Schedule', 'string', 'Time since a job was last scheduled.'),
    AGE_COLUMN,
    CONTAINERS_COLUMN,
    IMAGES_COLUMN,
    SELECTOR_COLUMN,
  ],
  (cj, now) => {
    const jobSpec = cj.spec?.jobTemplate?.spec;
    const [names, images] = containerCells(jobSpec?.template?.spec?.containers);
    const last = cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>';
    return [
      cj.metadata?.name ?? '',
      cj.spec?.schedule ?? '',
      cj.spec?.timeZone ?? '<none>',
      boolPtrText(cj.spec?.suspend ?? false), // defaulted to false
      (cj.status?.active ?? []).length,
      last,
      since(cj.metadata?.creationTimestamp, now),
      names,
      images,
      formatLabelSelector(jobSpec?.selector),
    ];
  },
);
