import path from 'node:path';
import mongoose from 'mongoose';
import { projectRoot } from '../../../../src/config';
import { formatPackError, loadPack, ModuleVersionModel, resolveModule } from '../../../../src/wellbeing';
import { testDatabaseUri, useTestDatabase } from '../../../support';
import { jvmTimeoutMs, runCli } from '../../../support/processes';

// The eight packs we ship in content/modules/: they must validate, and `npx rounds content import` with no
// folder imports them, so the slugs already placed in courses (issue 10) open their modules.
jest.setTimeout(jvmTimeoutMs);
useTestDatabase();

const bundled = path.join(projectRoot, 'content', 'modules');
const bundledSlugs = [
  'after-a-hard-case',
  'burnout-and-moral-distress',
  'getting-the-most-from-a-mentor',
  'mentoring-well',
  'peer-support-conversations',
  'sleep-and-recovery',
  'stress-first-aid',
  'two-minute-resets',
];

it.each(bundledSlugs)('when the bundled pack %s is loaded, then it validates', (slug) => {
  const result = loadPack(path.join(bundled, slug), `content/modules/${slug}`);
  expect(result.ok ? [] : result.errors.map(formatPackError)).toEqual([]);
});

it('when `content import` runs without a folder, then it imports the bundled packs and the old slugs resolve', async () => {
  const result = await runCli(['content', 'import'], { MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test' });
  expect(result).toMatchObject({
    code: 0,
    stdout: bundledSlugs.map((slug) => `${slug}: new (v1)\n`).join(''),
  });
  expect(await ModuleVersionModel.countDocuments()).toBe(8);
  // Bundled modules are every tenant's.
  const anyTenant = new mongoose.Types.ObjectId().toHexString();
  expect((await resolveModule('burnout-basics', anyTenant))?.slug).toBe('burnout-and-moral-distress');
  expect((await resolveModule('moral-distress', anyTenant))?.slug).toBe('burnout-and-moral-distress');
  expect((await resolveModule('sleep-after-night-shifts', anyTenant))?.slug).toBe('sleep-and-recovery');
});
