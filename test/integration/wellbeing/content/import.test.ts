import mongoose from 'mongoose';
import {
  ModuleVersionModel,
  importBundledModules,
  importModules,
  resolveModule,
} from '../../../../src/wellbeing';
import { useTestDatabase } from '../../../support';
import { usePackFolder, validModuleYaml } from '../../../unit/wellbeing/content/packs.fixture';

// `importModules` against the real database: all or nothing, idempotent, versioned.
useTestDatabase();
const packs = usePackFolder();

beforeEach(async () => {
  await ModuleVersionModel.deleteMany({});
});

/** The stored (slug, version, title) rows, oldest first. */
async function stored() {
  const rows = await ModuleVersionModel.find().sort({ slug: 1, version: 1 }).lean();
  return rows.map(({ slug, version, title }) => ({ slug, version, title }));
}

it('when packs are imported twice, then the second import changes nothing', async () => {
  packs.write('alpha', validModuleYaml('alpha'));
  packs.write('beta', validModuleYaml('beta'));
  const first = await importModules(packs.dir());
  expect(first).toEqual({
    ok: true,
    modules: [
      { slug: 'alpha', status: 'new', version: 1 },
      { slug: 'beta', status: 'new', version: 1 },
    ],
  });
  const again = await importModules(packs.dir());
  expect(again.ok && again.modules.map((m) => m.status)).toEqual(['unchanged', 'unchanged']);
  expect(await stored()).toHaveLength(2);
});

it('when a module changes, then it becomes version 2 and version 1 stays as it was', async () => {
  packs.write('alpha', validModuleYaml('alpha', 'First title'));
  packs.write('beta', validModuleYaml('beta'));
  await importModules(packs.dir());
  packs.write('alpha', validModuleYaml('alpha', 'Second title'));
  const result = await importModules(packs.dir());
  expect(result.ok && result.modules).toEqual([
    { slug: 'alpha', status: 'updated', version: 2 },
    { slug: 'beta', status: 'unchanged', version: 1 },
  ]);
  expect(await stored()).toEqual([
    { slug: 'alpha', version: 1, title: 'First title' },
    { slug: 'alpha', version: 2, title: 'Second title' },
    { slug: 'beta', version: 1, title: 'A test module' },
  ]);
});

it('when only a Markdown body changes, then the module still gets a new version', async () => {
  packs.write('alpha', validModuleYaml('alpha'));
  packs.write('beta', validModuleYaml('beta'));
  await importModules(packs.dir());
  packs.write('alpha', validModuleYaml('alpha'), { 'intro.md': '## Hello\n\nA rewritten page.\n' });
  const result = await importModules(packs.dir());
  expect(result.ok && result.modules[0]).toEqual({ slug: 'alpha', status: 'updated', version: 2 });
});

it('when one pack among valid ones is invalid, then nothing is written and its errors are returned', async () => {
  packs.write('alpha', validModuleYaml('alpha'));
  packs.write('beta', validModuleYaml('beta').replace('estimatedMinutes: 12', 'estimatedMinutes: 5'));
  const result = await importModules(packs.dir());
  expect(result.ok).toBe(false);
  expect(
    !result.ok && result.errors.map((e) => [e.file.split('/').slice(-2).join('/'), e.line, e.field]),
  ).toEqual([['beta/module.yaml', 5, 'estimatedMinutes']]);
  expect(await stored()).toEqual([]);
});

it('when a module lists an alias, then the alias resolves to that module', async () => {
  packs.write('alpha', validModuleYaml('alpha').replace('aliases: []', 'aliases: [old-alpha]'));
  packs.write('beta', validModuleYaml('beta'));
  await importModules(packs.dir());
  const tenantId = new mongoose.Types.ObjectId().toHexString();
  expect((await resolveModule('old-alpha', tenantId))?.slug).toBe('alpha');
  expect((await resolveModule('beta', tenantId))?.slug).toBe('beta');
  expect(await resolveModule('nothing-here', tenantId)).toBeNull();
});

it('when an alias is another module’s slug, then the import is refused at the alias line', async () => {
  packs.write('alpha', validModuleYaml('alpha').replace('aliases: []', 'aliases: [beta]'));
  packs.write('beta', validModuleYaml('beta'));
  const result = await importModules(packs.dir());
  expect(!result.ok && result.errors.map((e) => [e.line, e.field, e.message])).toEqual([
    [6, 'aliases[0]', '"beta" is already the slug of a module'],
  ]);
  expect(await stored()).toEqual([]);
});

it('when two processes import the bundled packs at once, then both succeed and each module is stored once', async () => {
  const [first, second] = await Promise.all([importBundledModules(), importBundledModules()]);
  expect(first.ok && second.ok).toBe(true);
  const statuses = [first, second].flatMap((result) =>
    result.ok ? result.modules.map((m) => m.status) : [],
  );
  expect(statuses.filter((status) => status === 'new').length).toBeGreaterThanOrEqual(8);
  expect(await ModuleVersionModel.countDocuments({ tenantId: null, version: 1 })).toBe(8);
  expect(await ModuleVersionModel.countDocuments()).toBe(8);
});
