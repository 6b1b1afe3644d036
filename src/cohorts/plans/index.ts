// The door to cohorts/plans/: each pair's mentoring agreement and the mentee's goals with milestones, with history.
export { goalsOfPair } from './plan.service';
export type { GoalSummary } from './plan.service';
export { plansRouter } from './plan.routes';
