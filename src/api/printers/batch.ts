// Jobs and CronJobs.
import type { CronJob, Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import { formatLabelSelector } from '../selectors/label-selector.js';
import { controllerPrinter } from './controller.js';
import { boolPtrText, humanDuration, int, parseTime, since } from './format.js';
import { col, type TablePrinter } from './types.js';

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

export const jobPrinter: TablePrinter = controllerPrinter<Job>({
  columns: [
    col('Status', 'string', 'Summary of the job conditions.'),
    col('Completions', 'string', 'Succeeded pods of the wanted completions.'),
    col('Duration', 'string', 'Time the job ran, or has been running.'),
  ],
  cells: (job, now) => [jobStatus(job), completions(job), jobDuration(job, now)],
  containers: (job) => job.spec?.template?.spec?.containers,
  selector: (job) => formatLabelSelector(job.spec?.selector),
});

export const cronJobPrinter: TablePrinter = controllerPrinter<CronJob>({
  columns: [
    col('Schedule', 'string', 'Cron schedule.'),
    col('Timezone', 'string', 'Time zone of the schedule.'),
    col('Suspend', 'boolean', 'Whether new runs are suspended.'),
    col('Active', 'integer', 'Jobs currently running.'),
    col('Last Schedule', 'string', 'Time since a job was last scheduled.'),
  ],
  cells: (cj, now) => [
    cj.spec?.schedule ?? '',
    cj.spec?.timeZone ?? '<none>',
    boolPtrText(cj.spec?.suspend ?? false), // defaulted to false
    (cj.status?.active ?? []).length,
    cj.status?.lastScheduleTime ? since(cj.status.lastScheduleTime, now) : '<none>',
  ],
  containers: (cj) => cj.spec?.jobTemplate?.spec?.template?.spec?.containers,
  selector: (cj) => formatLabelSelector(cj.spec?.jobTemplate?.spec?.selector),
});
