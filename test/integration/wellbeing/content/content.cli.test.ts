import path from 'node:path';
import { ModuleVersionModel } from '../../../../src/wellbeing';
import { testDatabaseUri, useTestDatabase } from '../../../support';
import { jvmTimeoutMs, runCli } from '../../../support/processes';
import { usePackFolder, validModuleYaml } from '../../../unit/wellbeing/content/packs.fixture';

// `npx rounds content import [dir]` as an operator runs it: a process of its own on this file's database.
jest.setTimeout(jvmTimeoutMs);
useTestDatabase();
const packs = usePackFolder();

function rounds(...args: string[]) {
  return runCli(args, { MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test' });
}

describe('npx rounds content import', () => {
  it('when packs are imported, changed and imported again, then each module’s line says what happened', async () => {
    packs.write('alpha', validModuleYaml('alpha'));
    packs.write('beta', validModuleYaml('beta'));
    const first = await rounds('content', 'import', packs.dir());
    expect(first).toMatchObject({ code: 0, stdout: 'alpha: new (v1)\nbeta: new (v1)\n' });

    packs.write('alpha', validModuleYaml('alpha', 'A changed title'));
    const second = await rounds('content', 'import', packs.dir());
    expect(second).toMatchObject({ code: 0, stdout: 'alpha: updated (v2)\nbeta: unchanged\n' });
    expect(await ModuleVersionModel.countDocuments()).toBe(3);
  });

  it('when a pack is invalid, then the CLI prints file:line: field: message, writes nothing and exits 1', async () => {
    await ModuleVersionModel.deleteMany({});
    packs.write('alpha', validModuleYaml('alpha'));
    packs.write('beta', validModuleYaml('beta').replace('passMark: 1', 'passMark: one'));
    const result = await rounds('content', 'import', packs.dir());
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(
      `${path.join(packs.dir(), 'beta', 'module.yaml')}:30: steps[2].passMark: must be a whole number of questions\n`,
    );
    expect(result.stderr).toContain('Nothing imported: 1 error(s).');
    expect(await ModuleVersionModel.countDocuments()).toBe(0);
  });

  it('when the folder does not exist, then the CLI says so and exits 2', async () => {
    const result = await rounds('content', 'import', path.join(packs.dir(), 'missing'));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No such folder');
  });
});
