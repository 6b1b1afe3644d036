import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../../src/config';
import { importModules } from '../../../../src/wellbeing';
import { ModuleProgressModel } from '../../../../src/wellbeing/player/progress.model';
import { decodeHtml, signedInAs, useTestRounds } from '../../../support';
import { mainOf, postStep } from './player.helpers';

// Issue 10: a changed module imported again becomes a new version, and progress keeps the version it was made on.
const rounds = useTestRounds();
let packs: string;

beforeAll(() => {
  packs = mkdtempSync(path.join(os.tmpdir(), 'rounds-player-versions-'));
});
afterAll(() => rmSync(packs, { recursive: true, force: true }));

/** Imports a copy of the bundled sleep module whose title and first step's title have changed. */
async function importChangedSleepModule(): Promise<void> {
  const folder = path.join(packs, 'sleep-and-recovery');
  cpSync(path.join(projectRoot, 'content/modules/sleep-and-recovery'), folder, { recursive: true });
  const yaml = readFileSync(path.join(folder, 'module.yaml'), 'utf8')
    .replace(/^title: .*$/m, 'title: Sleep around shift work (revised)')
    .replace('title: Why nights are hard', 'title: Why nights are hard, revised');
  writeFileSync(path.join(folder, 'module.yaml'), yaml);
  const result = await importModules(packs);
  expect(result).toEqual({
    ok: true,
    modules: [{ slug: 'sleep-and-recovery', status: 'updated', version: 2 }],
  });
}

it('when a module is imported again with changes, then a learner part-way through stays on her version and a new learner gets the new one', async () => {
  const nurse = (await signedInAs(rounds, 'nurse')).agent;
  expect((await postStep(nurse, 'sleep-and-recovery', 1)).status).toBe(303);

  await importChangedSleepModule();

  const hers = decodeHtml(mainOf((await nurse.get('/modules/sleep-and-recovery').expect(200)).text));
  expect(hers).toContain('<h1>Sleep and recovery around shift work</h1>');
  expect(hers).toContain('Continue at step 2');
  expect(decodeHtml((await nurse.get('/modules/sleep-and-recovery/steps/1').expect(200)).text)).toContain(
    '<h1>Why nights are hard</h1>',
  );
  expect((await postStep(nurse, 'sleep-and-recovery', 2)).status).toBe(303);
  const progress = await ModuleProgressModel.find({ slug: 'sleep-and-recovery' }).lean();
  expect(progress.map((p) => [p.version, p.steps.length])).toEqual([[1, 2]]);

  const physician = (await signedInAs(rounds, 'physician')).agent;
  const theirs = decodeHtml(
    mainOf((await physician.get('/modules/sleep-and-recovery/steps/1').expect(200)).text),
  );
  expect(theirs).toContain('<h1>Why nights are hard, revised</h1>');
  expect(decodeHtml((await physician.get('/modules').expect(200)).text)).toContain(
    'Sleep around shift work (revised)',
  );
  expect(
    decodeHtml((await nurse.get('/targets/module/sleep-after-night-shifts').expect(200)).text),
  ).toContain('<h1>Sleep and recovery around shift work</h1>');
});
