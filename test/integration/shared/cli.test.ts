import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import mongoose from 'mongoose';
import { projectRoot } from '../../src/config';
import { PlatformChangeModel, PlatformModel } from '../../src/lti/registration/platform.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
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
  await PlatformModel.deleteMany({ clientId: { $in: ['cli-client-1', 'cli-client-2'] } });
  await TenantModel.deleteMany({ clientId: 'cli-client-2' });
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

const identity = (clientId: string) => ['--issuer', 'https://moodle.example.org', '--client-id', clientId];

describe('the operator’s platform commands', () => {
  it('when a removed platform is added again over its old tenant, then it is refused until the tenant is named', async () => {
    const second = moodle.map((value) => (value === 'cli-client-1' ? 'cli-client-2' : value));
    const tenant = await TenantModel.create({
      issuer: 'https://moodle.example.org',
      clientId: 'cli-client-2',
      deploymentId: '4',
      platformName: 'Hospital Moodle',
    });
    const refused = await rounds('platform', 'add', ...second);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`--reuse-tenant ${String(tenant._id)}`);
    expect(await PlatformModel.exists({ clientId: 'cli-client-2' })).toBeNull();

    const added = await rounds('platform', 'add', ...second, '--reuse-tenant', String(tenant._id));
    expect(added).toMatchObject({ code: 0 });
    expect(await PlatformModel.exists({ clientId: 'cli-client-2' })).toBeTruthy();

    const again = await rounds('platform', 'add', ...second);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already registered');
  });

  it('when the operator re-keys a platform, then only `platform update` changes its keyset URL', async () => {
    const updated = await rounds(
      'platform',
      'update',
      ...identity('cli-client-2'),
      '--jwks-url',
      'https://moodle.example.org/new-certs.php',
    );
    expect(updated.stdout).toContain('Platform updated.');
    expect((await PlatformModel.findOne({ clientId: 'cli-client-2' }).lean())!.jwksUrl).toBe(
      'https://moodle.example.org/new-certs.php',
    );
  });

  it('when an LMS proposed new endpoints, then `platform changes` shows them beside the current ones and approve-change applies them', async () => {
    await PlatformChangeModel.create({
      issuer: 'https://moodle.example.org',
      clientId: 'cli-client-2',
      authUrl: 'https://moodle.example.org/mod/lti/auth.php',
      tokenUrl: 'https://moodle.example.org/mod/lti/token.php',
      jwksUrl: 'https://moodle.example.org/proposed-certs.php',
      deploymentIds: ['12'],
      proposedAt: new Date(),
    });
    const shown = await rounds('platform', 'changes');
    expect(shown.stdout).toContain('now: https://moodle.example.org/new-certs.php');
    expect(shown.stdout).toContain('new: https://moodle.example.org/proposed-certs.php');
    expect(shown.stdout).toMatch(/token URL.*\n.*token\.php {2}\(unchanged\)/);

    const approved = await rounds('platform', 'approve-change', ...identity('cli-client-2'));
    expect(approved.stdout).toContain('Change approved.');
    expect(await PlatformModel.findOne({ clientId: 'cli-client-2' }).lean()).toMatchObject({
      jwksUrl: 'https://moodle.example.org/proposed-certs.php',
      deploymentIds: ['4', '12'],
    });
  });
});
