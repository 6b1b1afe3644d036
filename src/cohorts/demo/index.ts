// The door to cohorts/demo/: demo cohorts for the sandbox course of `npm run dev` (issue 12, item 9).
export { demoCircleName, demoMentoringName, seedDemoCohorts } from './demo.seed';
export type { DemoLms } from './demo.seed';
export type { DemoCourse } from './demo.people';
