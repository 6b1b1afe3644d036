import { PlatformChangeModel, PlatformModel } from '../../../src/lti/registration/platform.model';
import { registerPlatform } from '../../../src/lti/registration/platform.service';
import { TenantModel } from '../../../src/tenancy/tenant.model';
import { testDatabaseUri, useTestDatabase } from '../../support';
import { jvmTimeoutMs, runCli } from '../../support/processes';

// The operator's `npx rounds …` commands, each run as a process of its own (TypeScript compiled at its start).
jest.setTimeout(jvmTimeoutMs);
useTestDatabase();

/** Runs `rounds <args>` as a user would (bin/rounds.js), on this file's test database. */
function rounds(...args: string[]) {
  return runCli(args, { MONGODB_URI: testDatabaseUri(), NODE_ENV: 'test' });
}

const issuer = 'https://moodle.example.org';
const identity = (clientId: string) => ['--issuer', issuer, '--client-id', clientId];

/** `platform add` options for a Hospital Moodle registered as `clientId`, deployment 4. */
const moodle = (clientId: string) => [
  ...identity(clientId),
  '--deployment-id',
  '4',
  '--auth-url',
  `${issuer}/mod/lti/auth.php`,
  '--token-url',
  `${issuer}/mod/lti/token.php`,
  '--jwks-url',
  `${issuer}/mod/lti/certs.php`,
  '--name',
  'Hospital Moodle',
];

/** A Hospital Moodle registered as `clientId` (through the service the CLI calls), for commands that change it. */
function registered(clientId: string, changes: { jwksUrl?: string } = {}) {
  return registerPlatform({
    issuer,
    clientId,
    deploymentIds: ['4'],
    name: 'Hospital Moodle',
    authUrl: `${issuer}/mod/lti/auth.php`,
    tokenUrl: `${issuer}/mod/lti/token.php`,
    jwksUrl: `${issuer}/mod/lti/certs.php`,
    ...changes,
  });
}

describe('npx rounds platform …', () => {
  it('when an admin adds a Moodle platform, then it is stored and listed', async () => {
    const added = await rounds('platform', 'add', ...moodle('cli-added'));
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('Registered Hospital Moodle');
    expect(await PlatformModel.findOne({ clientId: 'cli-added' }).lean()).toMatchObject({
      name: 'Hospital Moodle',
      deploymentIds: ['4'],
      active: true,
    });
    const listed = await rounds('platform', 'list');
    expect(listed.stdout).toMatch(
      /active\s+Hospital Moodle\s+issuer=https:\/\/moodle\.example\.org\s+client=cli-added\s+deployments=4/,
    );
  });

  it('when an admin adds a deployment, then the platform has both', async () => {
    await registered('cli-deployment');
    const added = await rounds('deployment', 'add', ...identity('cli-deployment'), '--deployment-id', '9');
    expect(added).toMatchObject({ code: 0 });
    expect((await PlatformModel.findOne({ clientId: 'cli-deployment' }).lean())!.deploymentIds).toEqual([
      '4',
      '9',
    ]);
  });

  it('when an admin marks a platform inactive, then it stays registered but inactive', async () => {
    await registered('cli-inactive');
    const changed = await rounds('platform', 'activate', ...identity('cli-inactive'), '--inactive');
    expect(changed).toMatchObject({ code: 0 });
    expect(await PlatformModel.findOne({ clientId: 'cli-inactive' }).lean()).toMatchObject({
      active: false,
      name: 'Hospital Moodle',
    });
  });

  it('when an admin removes a platform, then it is gone', async () => {
    await registered('cli-removed');
    const removed = await rounds('platform', 'remove', ...identity('cli-removed'));
    expect(removed.stdout).toContain('Platform removed.');
    expect(await PlatformModel.countDocuments({ clientId: 'cli-removed' })).toBe(0);
  });

  it.each([
    ['--jwks-url is missing', moodle('cli-refused').slice(0, -4), '--jwks-url is required'],
    [
      '--auth-url is not a URL',
      moodle('cli-refused').map((value) => (value.endsWith('auth.php') ? 'moodle' : value)),
      '--auth-url must be an http(s) URL',
    ],
  ])('when %s, then it exits 2 and says which', async (_what, options, message) => {
    const refused = await rounds('platform', 'add', ...options);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(message);
    expect(await PlatformModel.exists({ clientId: 'cli-refused' })).toBeNull();
  });
});

describe('the operator’s platform commands', () => {
  it('when a removed platform is added again over its old tenant, then it is refused until the tenant is named', async () => {
    const tenant = await TenantModel.create({
      issuer,
      clientId: 'cli-readded',
      deploymentId: '4',
      platformName: 'Hospital Moodle',
    });
    const refused = await rounds('platform', 'add', ...moodle('cli-readded'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`--reuse-tenant ${String(tenant._id)}`);
    expect(await PlatformModel.exists({ clientId: 'cli-readded' })).toBeNull();

    const added = await rounds(
      'platform',
      'add',
      ...moodle('cli-readded'),
      '--reuse-tenant',
      String(tenant._id),
    );
    expect(added).toMatchObject({ code: 0 });
    expect(await PlatformModel.exists({ clientId: 'cli-readded' })).toBeTruthy();
  });

  it('when a platform is added a second time, then it is refused as already registered', async () => {
    await registered('cli-twice');
    const again = await rounds('platform', 'add', ...moodle('cli-twice'));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already registered');
  });

  it('when the operator re-keys a platform, then `platform update` changes its keyset URL', async () => {
    await registered('cli-rekeyed');
    const updated = await rounds(
      'platform',
      'update',
      ...identity('cli-rekeyed'),
      '--jwks-url',
      `${issuer}/new-certs.php`,
    );
    expect(updated.stdout).toContain('Platform updated.');
    expect((await PlatformModel.findOne({ clientId: 'cli-rekeyed' }).lean())!.jwksUrl).toBe(
      `${issuer}/new-certs.php`,
    );
  });

  it('when an LMS proposed new endpoints, then `platform changes` shows them beside the current ones and approve-change applies them', async () => {
    await registered('cli-proposed', { jwksUrl: `${issuer}/new-certs.php` });
    await PlatformChangeModel.create({
      issuer,
      clientId: 'cli-proposed',
      authUrl: `${issuer}/mod/lti/auth.php`,
      tokenUrl: `${issuer}/mod/lti/token.php`,
      jwksUrl: `${issuer}/proposed-certs.php`,
      deploymentIds: ['12'],
      proposedAt: new Date(),
    });
    const shown = await rounds('platform', 'changes');
    expect(shown.stdout).toContain(`now: ${issuer}/new-certs.php`);
    expect(shown.stdout).toContain(`new: ${issuer}/proposed-certs.php`);
    expect(shown.stdout).toMatch(/token URL.*\n.*token\.php {2}\(unchanged\)/);

    const approved = await rounds('platform', 'approve-change', ...identity('cli-proposed'));
    expect(approved.stdout).toContain('Change approved.');
    expect(await PlatformModel.findOne({ clientId: 'cli-proposed' }).lean()).toMatchObject({
      jwksUrl: `${issuer}/proposed-certs.php`,
      deploymentIds: ['4', '12'],
    });
  });
});
