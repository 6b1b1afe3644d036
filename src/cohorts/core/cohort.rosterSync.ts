import type { Config } from '../../config';
import { onRosterApplied, queueCourseRosterSync } from '../../lti/services';
import type { Logger } from '../../shared/logger';
import { cohortToday } from './cohort.dates';
import { CohortModel } from './cohort.model';
import { reconcileCohortRosters } from './cohort.roster';

/**
 * Queues a roster sync for every course with a running cohort (not archived, not past its end date in its zone).
 * Courses whose LMS does not offer NRPS are skipped. Returns how many syncs were queued.
 */
export async function queueRunningCohortRosterSyncs(now = new Date()): Promise<number> {
  const cohorts = await CohortModel.find(
    { archived: false },
    { tenantId: 1, courseId: 1, timeZone: 1, endDate: 1 },
  ).lean();
  const courses = new Map<string, { tenantId: string; courseId: string }>();
  for (const cohort of cohorts) {
    if (cohortToday(cohort, now) > cohort.endDate) continue;
    const courseId = String(cohort.courseId);
    courses.set(courseId, { tenantId: String(cohort.tenantId), courseId });
  }
  let queued = 0;
  for (const { tenantId, courseId } of courses.values()) {
    if (await queueCourseRosterSync(tenantId, courseId)) queued += 1;
  }
  return queued;
}

/**
 * Cohorts follow their course's roster (issue 12, item 1: "on demand and nightly"): every applied roster sync
 * reconciles the course's cohorts, and every `config.cohortRosterSyncHours` a sync is queued for each course with
 * a running cohort. The first scheduled run comes one period after boot, not at boot: restarts do not hammer the
 * LMS. `stop()` unregisters and waits for a run in progress.
 */
export function startCohortRosterSync({ config, logger }: { config: Config; logger: Logger }): {
  stop(): Promise<void>;
} {
  const unsubscribe = onRosterApplied(async ({ tenantId, courseId }) => {
    const result = await reconcileCohortRosters(tenantId, courseId);
    if (result.changes > 0) logger.info({ tenantId, courseId, ...result }, 'cohort rosters reconciled');
  });
  let running: Promise<void> | undefined;
  const timer = setInterval(
    () => {
      if (running) return;
      running = queueRunningCohortRosterSyncs()
        .then((queued) => logger.info({ queued }, 'cohort roster syncs queued'))
        .catch((error: unknown) => logger.error({ err: error }, 'cohort roster syncs could not be queued'))
        .finally(() => {
          running = undefined;
        });
    },
    // setInterval takes at most 2^31 - 1 ms (about 24.8 days); a longer period would fire at once.
    Math.min(config.cohortRosterSyncHours * 60 * 60 * 1000, 2 ** 31 - 1),
  );
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
