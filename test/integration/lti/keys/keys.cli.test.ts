import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { projectRoot } from '../../src/config';
import { ToolKeyModel } from '../../src/lti/keys/keys.model';
import { publishedToolJwks } from '../../src/lti/keys/keys.service';
import { testDatabaseUri } from '../support/database';
import { ownDatabaseUri } from '../support/outbox';

const run = promisify(execFile);
const databaseUri = ownDatabaseUri(testDatabaseUri(), 'keys_cli');

/** Runs `rounds <args>` as an operator would (bin/rounds.js), on this file's own database. */
async function rounds(...args: string[]) {
  const { stdout } = await run(process.execPath, [path.join(projectRoot, 'bin/rounds.js'), ...args], {
    cwd: projectRoot,
    env: { ...process.env, MONGODB_URI: databaseUri, NODE_ENV: 'test' },
  });
  return stdout;
}

beforeAll(async () => {
  await mongoose.connect(databaseUri);
  await ToolKeyModel.deleteMany({});
});

afterAll(async () => {
  await mongoose.disconnect();
});

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
