import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { projectRoot } from '../../src/config';
import { PlatformModel } from '../../src/lti/platform.model';
import { testDatabaseUri } from '../support/database';

const run = promisify(execFile);

/** Runs `rounds <args>` as a user would (bin/rounds.js), on this worker's test database. */
async function rounds(...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      [path.join(projectRoot, 'bin/rounds.js'), ...args],
      {
        cwd: projectRoot,
        env: { ...process.env, MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const moodle = [
  '--issuer',
  'https://moodle.example.org',
  '--client-id',
  'cli-client-1',
  '--deployment-id',
  '4',
  '--auth-url',
  'https://moodle.example.org/mod/lti/auth.php',
  '--token-url',
  'https://moodle.example.org/mod/lti/token.php',
  '--jwks-url',
  'https://moodle.example.org/mod/lti/certs.php',
  '--name',
  'Hospital Moodle',
];

beforeAll(async () => {
  await mongoose.connect(testDatabaseUri());
});

afterAll(async () => {
  await mongoose.disconnect();
});

describe('npx rounds platform …', () => {
  it('when an admin adds a Moodle platform, then it is stored, listed and its deployments can change', async () => {
    const added = await rounds('platform', 'add', ...moodle);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('Registered Hospital Moodle');

    const listed = await rounds('platform', 'list');
    expect(listed.stdout).toMatch(
      /active\s+Hospital Moodle\s+issuer=https:\/\/moodle\.example\.org\s+client=cli-client-1\s+deployments=4/,
    );

    await rounds(
      'deployment',
      'add',
      '--issuer',
      'https://moodle.example.org',
      '--client-id',
      'cli-client-1',
      '--deployment-id',
      '9',
    );
    await rounds(
      'platform',
      'activate',
      '--issuer',
      'https://moodle.example.org',
      '--client-id',
      'cli-client-1',
      '--inactive',
    );
    const stored = await PlatformModel.findOne({ clientId: 'cli-client-1' }).lean();
    expect(stored).toMatchObject({ deploymentIds: ['4', '9'], active: false, name: 'Hospital Moodle' });

    const removed = await rounds(
      'platform',
      'remove',
      '--issuer',
      'https://moodle.example.org',
      '--client-id',
      'cli-client-1',
    );
    expect(removed.stdout).toContain('Platform removed.');
    expect(await PlatformModel.countDocuments({ clientId: 'cli-client-1' })).toBe(0);
  });

  it('when a required option is missing or not a URL, then it exits 2 and says which', async () => {
    const withoutJwks = moodle.slice(0, moodle.indexOf('--jwks-url'));
    const missing = await rounds('platform', 'add', ...withoutJwks);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--jwks-url is required');

    const notUrl = await rounds(
      'platform',
      'add',
      ...moodle.map((value) => (value.endsWith('auth.php') ? 'moodle' : value)),
    );
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain('--auth-url must be an http(s) URL');
  });
});
