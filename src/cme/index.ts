// The door to cme/: CME credit (issue 13): activities, requirements, the claims ledger, certificates, transcripts;
// reporting exports (issue 14).
import type { Router } from 'express';
import type { Config } from '../config';
import { activitiesRouter } from './activities';
import { exportsRouter, reportingStatus } from './exports';
import { reportsRouter } from './reports';
import { claimsAdminRouter, claimsRouter } from './claims';
import { certificatesRouter, verifyRouter } from './certificates';
import { profileRouter } from './profile';
import { requirementsRouter } from './requirements';

export * from './core';
export { seedDemoCme } from './demo';

/** Every CME page, in the order they are mounted (before the targets' placeholder pages). */
export function cmeRouters(deps: { config: Config }): Router[] {
  return [
    activitiesRouter(deps),
    reportsRouter({ ...deps, reporting: { reportingStatus } }),
    exportsRouter(deps),
    certificatesRouter(deps),
    verifyRouter(deps),
    profileRouter(deps),
    requirementsRouter(deps),
    claimsRouter(deps),
    claimsAdminRouter(deps),
  ];
}
