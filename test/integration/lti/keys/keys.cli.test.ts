import { ToolKeyModel } from '../../../../src/lti/keys/keys.model';
import { publishedToolJwks } from '../../../../src/lti/keys/keys.service';
import { testDatabaseUri, useTestDatabase } from '../../../support';
import { jvmTimeoutMs, runCli } from '../../../support/processes';

// The CLI starts no database of its own here (MONGODB_URI names the file's), but each run is a Node process
// compiling TypeScript on a shared machine.
jest.setTimeout(jvmTimeoutMs);
useTestDatabase();

/** Runs `rounds <args>` as an operator would, on this file's own database; returns what it printed. */
async function rounds(...args: string[]) {
  const result = await runCli(args, { MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test' });
  if (result.code !== 0) throw new Error(`rounds ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

describe('npx rounds keys …', () => {
  it('when an operator rotates the keys twice, then `keys list` shows the active key and the one retiring in 24 h', async () => {
    expect(await rounds('keys', 'list')).toContain('No tool keys yet');
    expect(await rounds('keys', 'rotate')).toMatch(/^New signing key: active +kid=\S+/);
    const second = await rounds('keys', 'rotate');
    expect(second).toMatch(/Still published: retiring +kid=\S+ .* retires \S+/);

    const listed = (await rounds('keys', 'list')).trim().split('\n');
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(/^active +kid=/);
    expect(listed[1]).toMatch(/^retiring +kid=/);
    const [active, retiring] = await ToolKeyModel.find().sort({ generation: -1 }).lean();
    const hours = (retiring!.retiresAt!.getTime() - active!.activatedAt.getTime()) / 3600_000;
    expect(hours).toBeCloseTo(24, 2);
    expect((await publishedToolJwks()).keys.map((key) => key.kid)).toEqual([active!.kid, retiring!.kid]);
  });
});
