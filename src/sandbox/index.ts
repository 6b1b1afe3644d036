// The door to sandbox/: what the rest of Rounds may use. The sandbox LMS: an LTI 1.3 platform of our own for development and tests (off in production).
export { createSandbox } from './sandbox';
export type { Sandbox } from './sandbox';
