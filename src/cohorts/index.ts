// The door to cohorts/: mentor-led cohorts and peer-support circles (issue 12).
import type { Router } from 'express';
import type { Config } from '../config';
import { circlesRouter } from './circles';
import { cohortsCoreRouter } from './core';
import { dashboardsRouter } from './dashboards';
import { invitationsRouter } from './invitations';
import { matchingRouter } from './matching';
import { plansRouter } from './plans';
import { gradingRouter, reflectionsRouter } from './reflections';
import { calendarRouter, sessionsRouter } from './sessions';

export * from './core';
export { listAttendance } from './sessions';
export { seedDemoCohorts } from './demo';
export type { DemoCourse } from './demo';

/**
 * Every cohort page, in the order they are mounted (before the targets' placeholder pages). The core pages come
 * first (`/cohorts/new` before any `/cohorts/:cohortId`); then circles, whose ground-rules check guards every
 * other page of a peer circle (core's pages are for managers, who accept no rules).
 */
export function cohortsRouters(deps: { config: Config }): Router[] {
  return [
    cohortsCoreRouter(deps),
    circlesRouter(deps),
    dashboardsRouter(deps),
    matchingRouter(deps),
    plansRouter(deps),
    sessionsRouter(deps),
    calendarRouter(deps),
    reflectionsRouter(deps),
    gradingRouter(deps),
    invitationsRouter(deps),
  ];
}
