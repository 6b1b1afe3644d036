// The one import of an integration test: `import { useTestRounds, launchAs, … } from '../../support'`.
// Browser tests add './browser' (Chromium is loaded only where it is used); process tests add './processes'.
export * from './craftedLaunch';
export * from './database';
export * from './farEnd';
export * from './handoff';
export * from './html';
export * from './launch';
export * from './lifecycle';
export * from './outbox';
export * from './pages';
export * from './refusals';
export * from './registration';
export * from './rounds';
export * from './sandboxHarness';
export * from './wait';
export * from './cohorts';
