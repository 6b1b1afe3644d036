// The door to cme/demo/: the sandbox course's CME demo for `npm run dev` (issue 13, item 7).
export { demoActivityKey, seedDemoCme } from './demo.seed';
