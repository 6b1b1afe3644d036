import { AccountAuditModel } from '../../../src/accounts/accountAudit.model';
import { PlatformModel } from '../../../src/lti/registration/platform.model';
import { proposePlatformChange, registerPlatform } from '../../../src/lti/registration/platform.service';
import { TenantModel } from '../../../src/tenancy/tenant.model';
import {
  adminAgent,
  craftLaunch,
  decodeHtml,
  openForm,
  postLaunch,
  throughRegistration,
  useTestRounds,
  type Agent,
} from '../../support';
import { signInAccount } from '../../support/accounts';

// The operator's pages (issue 11): what `npx rounds platform …` does, as forms for an operator account with its
// second factor checked, each change a POST answered 303 and audited.

const rounds = useTestRounds();
let operator: Agent;
let operatorId: string;

beforeAll(async () => {
  const signedIn = await signInAccount(rounds, { roles: ['operator'], totp: true, name: 'Olu Operator' });
  operator = signedIn.agent;
  operatorId = signedIn.accountId;
});

/** A registration of the sandbox LMS under another client ID (signed by the same keys, so launches work). */
const hospital = (clientId: string, deploymentId = `${clientId}-deployment`) => ({
  ...rounds.sandbox!.registration,
  clientId,
  deploymentIds: [deploymentId],
  name: `Moodle ${clientId}`,
});

/** The "Add an LMS platform" fields for a registration. */
const addFields = (registration: ReturnType<typeof hospital>) => ({
  issuer: registration.issuer,
  clientId: registration.clientId,
  deploymentId: registration.deploymentIds[0],
  authUrl: registration.authUrl,
  tokenUrl: registration.tokenUrl,
  jwksUrl: registration.jwksUrl,
  name: registration.name,
});

async function post(path: string, fields: object, formPath = '/admin/platforms') {
  const { csrf } = await openForm(operator, formPath);
  return operator
    .post(path)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrf, ...fields });
}

const stored = (clientId: string) => PlatformModel.findOne({ clientId }).lean();

/** The approve/reject form's action and `proposedAt` of the proposal for `clientId` on the platforms page. */
function proposalForm(list: string, clientId: string): { action: string; proposedAt: string } {
  const panel = list.split('operator-proposal').find((part) => part.includes(`<code>${clientId}</code>`))!;
  return {
    action: /action="(\/operator\/proposals\/[0-9a-f]{24})"/.exec(panel)![1]!,
    proposedAt: decodeHtml(/name="proposedAt" value="([^"]+)"/.exec(panel)![1]!),
  };
}

async function lastAudit(): Promise<string> {
  const entry = await AccountAuditModel.findOne({ event: 'operator-action', accountId: operatorId })
    .sort({ at: -1, _id: -1 })
    .lean();
  return entry?.detail ?? '';
}

describe('an operator adds an LMS platform through the form', () => {
  it('when every field is right, then it is stored active, listed, audited, and its deployment can launch', async () => {
    const added = hospital('web-added');
    const answer = await post('/operator/platforms', addFields(added), '/operator/platforms/new');
    const platform = (await stored('web-added'))!;
    expect([answer.status, answer.headers.location]).toEqual([
      303,
      `/operator/platforms/${platform._id}?done=platform-added`,
    ]);
    expect(platform).toMatchObject({
      active: true,
      registeredBy: 'operator',
      deploymentIds: ['web-added-deployment'],
    });
    expect(await lastAudit()).toBe(`platform-added issuer=${added.issuer} client=web-added`);

    const page = decodeHtml((await operator.get(answer.headers.location!).expect(200)).text);
    expect(page).toContain('The platform was registered and is active');
    const list = decodeHtml((await operator.get('/admin/platforms').expect(200)).text);
    expect(list.match(/<h1[ >]/g)).toHaveLength(1);
    expect(list).toContain('Moodle web-added');
    expect(list).toContain('Rounds Sandbox LMS');

    const { agent, fields } = await craftLaunch(rounds, {
      person: 'physician',
      initiation: (url) => {
        url.searchParams.set('client_id', added.clientId);
        url.searchParams.set('lti_deployment_id', added.deploymentIds[0]!);
      },
      claims: (claims) => throughRegistration(claims, added),
    });
    expect((await postLaunch(agent, fields)).status).toBe(303);
  });

  it('when fields are wrong, then 400, each error beside its field, the typed values kept, and nothing stored', async () => {
    const answer = await post(
      '/operator/platforms',
      { ...addFields(hospital('typo')), issuer: 'moodle.example.org', clientId: ' ', jwksUrl: 'ftp://keys' },
      '/operator/platforms/new',
    );
    expect(answer.status).toBe(400);
    const page = decodeHtml(answer.text);
    expect(page).toContain('<title>Error: Add an LMS platform');
    for (const id of ['issuer', 'client-id', 'jwks-url']) {
      expect(page).toContain(`<a href="#${id}">`);
      expect(page).toContain(`aria-describedby="${id}-hint ${id}-error" aria-invalid="true"`);
    }
    expect(page).toContain('value="moodle.example.org"');
    expect(page).toContain('value="ftp://keys"');
    expect(page).toContain(`value="${rounds.sandbox!.registration.tokenUrl}"`);
    expect(await PlatformModel.exists({ clientId: { $in: ['typo', ' ', ''] } })).toBeNull();
  });

  it('when the issuer and client ID are already registered, then the client ID field says so and nothing changes', async () => {
    const before = (await stored(rounds.sandbox!.clientId))!;
    const answer = await post(
      '/operator/platforms',
      { ...addFields(hospital(rounds.sandbox!.clientId)), jwksUrl: 'https://attacker.example/jwks' },
      '/operator/platforms/new',
    );
    expect(answer.status).toBe(400);
    expect(decodeHtml(answer.text)).toContain(
      '<a href="#client-id">This issuer and client ID are already registered',
    );
    expect((await stored(rounds.sandbox!.clientId))!.jwksUrl).toBe(before.jwksUrl);
  });

  it('when a removed registration left a tenant, then it is not taken over until the operator ticks it', async () => {
    const again = hospital('re-added');
    const tenant = await TenantModel.create({
      issuer: again.issuer,
      clientId: 're-added',
      deploymentId: 're-added-deployment',
    });
    const refused = await post('/operator/platforms', addFields(again), '/operator/platforms/new');
    expect(refused.status).toBe(409);
    expect(refused.text).toContain(`name="reuseTenants" type="checkbox" value="${tenant._id}"`);
    expect(refused.text).toContain(`value="${again.jwksUrl}"`);
    expect(await stored('re-added')).toBeNull();

    const confirmed = await post(
      '/operator/platforms',
      { ...addFields(again), reuseTenants: String(tenant._id) },
      '/operator/platforms/new',
    );
    expect(confirmed.status).toBe(303);
    expect(await stored('re-added')).toBeTruthy();
    expect(await lastAudit()).toContain(`reused-tenants=${tenant._id}`);
  });

  it('when the form comes without its CSRF token, then 403 and nothing is stored', async () => {
    const answer = await operator
      .post('/operator/platforms')
      .type('form')
      .set('Accept', 'text/html')
      .send(addFields(hospital('no-token')));
    expect(answer.status).toBe(403);
    expect(await stored('no-token')).toBeNull();
  });
});

describe('an operator manages a registered platform', () => {
  let id: string;
  const pagePath = () => `/operator/platforms/${id}`;

  beforeAll(async () => {
    id = String((await registerPlatform(hospital('managed')))._id);
  });

  it('when the endpoints form has a bad URL, then 400 with the typed values; a good one is saved and audited', async () => {
    const refused = await post(
      `${pagePath()}/endpoints`,
      {
        name: 'Renamed',
        authUrl: 'not a url',
        tokenUrl: 'https://lms.example/token',
        jwksUrl: 'https://lms.example/jwks',
      },
      pagePath(),
    );
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<a href="#endpoint-auth-url">');
    expect(refused.text).toContain('value="not a url"');
    expect(refused.text).toContain('value="Renamed"');
    expect((await stored('managed'))!.name).toBe('Moodle managed');

    const saved = await post(
      `${pagePath()}/endpoints`,
      {
        name: 'Renamed',
        authUrl: 'https://lms.example/auth',
        tokenUrl: 'https://lms.example/token',
        jwksUrl: 'https://lms.example/jwks',
      },
      pagePath(),
    );
    expect([saved.status, saved.headers.location]).toEqual([303, `${pagePath()}?done=endpoints-updated`]);
    expect(await stored('managed')).toMatchObject({ name: 'Renamed', jwksUrl: 'https://lms.example/jwks' });
    expect(await lastAudit()).toMatch(/^platform-updated .* client=managed$/);
  });

  it('when the operator adds and removes a deployment, then launches of it are allowed, then refused', async () => {
    const empty = await post(`${pagePath()}/deployments`, { deploymentId: '  ' }, pagePath());
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('<a href="#deployment-id">Enter the deployment ID.</a>');

    expect((await post(`${pagePath()}/deployments`, { deploymentId: 'ward-9' }, pagePath())).status).toBe(
      303,
    );
    expect((await stored('managed'))!.deploymentIds).toContain('ward-9');
    expect(await lastAudit()).toMatch(/^deployment-added .* deployment=ward-9$/);
    expect(
      (await post(`${pagePath()}/deployments/remove`, { deploymentId: 'ward-9' }, pagePath())).status,
    ).toBe(303);
    expect((await stored('managed'))!.deploymentIds).not.toContain('ward-9');
    const unknown = await post(
      `${pagePath()}/deployments/remove`,
      { deploymentId: 'never-added' },
      pagePath(),
    );
    expect(unknown.status).toBe(404);
  });

  it('when the operator deactivates and activates it, then its state follows and the page says so', async () => {
    const off = await post(`${pagePath()}/active`, { active: 'no' }, pagePath());
    expect(off.headers.location).toBe(`${pagePath()}?done=deactivated`);
    expect((await stored('managed'))!.active).toBe(false);
    expect(decodeHtml((await operator.get(pagePath()).expect(200)).text)).toContain('>Inactive</span>');
    await post(`${pagePath()}/active`, { active: 'yes' }, pagePath());
    expect((await stored('managed'))!.active).toBe(true);
  });

  it('when a platform registered itself (Dynamic Registration), then it shows as waiting and one button approves it', async () => {
    const pending = await registerPlatform(hospital('self-registered'), {
      registeredBy: 'dynamic-registration',
    });
    const path = `/operator/platforms/${pending._id}`;
    const page = decodeHtml((await operator.get(path).expect(200)).text);
    expect(page).toContain('Waiting for approval');
    expect(page).toContain('Approve and activate');
    await post(`${path}/active`, { active: 'yes' }, path);
    expect(await stored('self-registered')).toMatchObject({ active: true, approvedAt: expect.any(Date) });
  });

  it('when the operator removes it, then a confirmation comes first, and only its confirm button removes it', async () => {
    const doomed = String((await registerPlatform(hospital('doomed')))._id);
    const confirm = decodeHtml((await operator.get(`/operator/platforms/${doomed}/remove`).expect(200)).text);
    expect(confirm).toContain('<h1>Remove Moodle doomed?</h1>');
    expect(await stored('doomed')).toBeTruthy();
    const removed = await post(
      `/operator/platforms/${doomed}/remove`,
      {},
      `/operator/platforms/${doomed}/remove`,
    );
    expect([removed.status, removed.headers.location]).toEqual([
      303,
      '/admin/platforms?done=platform-removed',
    ]);
    expect(await stored('doomed')).toBeNull();
    expect(await lastAudit()).toMatch(/^platform-removed .* client=doomed$/);
    await operator.get(`/operator/platforms/${doomed}`).expect(404);
  });
});

describe('an operator decides on endpoints an LMS proposed', () => {
  it('when a proposal waits, then the list shows both values; a stale decision is refused; approval applies it', async () => {
    await registerPlatform(hospital('proposing'));
    await proposePlatformChange({ ...hospital('proposing'), jwksUrl: 'https://lms.example/new-keys' });
    const list = decodeHtml((await operator.get('/admin/platforms').expect(200)).text);
    expect(list).toContain('Changes proposed by an LMS');
    expect(list).toContain('https://lms.example/new-keys');
    const { action, proposedAt } = proposalForm(list, 'proposing');

    const stale = await post(action, { decision: 'approve', proposedAt: '2020-01-01T00:00:00.000Z' });
    expect(stale.status).toBe(409);
    expect((await stored('proposing'))!.jwksUrl).toBe(rounds.sandbox!.registration.jwksUrl);

    const approved = await post(action, { decision: 'approve', proposedAt });
    expect([approved.status, approved.headers.location]).toEqual([
      303,
      '/admin/platforms?done=change-approved',
    ]);
    expect((await stored('proposing'))!.jwksUrl).toBe('https://lms.example/new-keys');
    expect(await lastAudit()).toMatch(/^platform-change-approved .* client=proposing$/);
  });

  it('when the operator rejects a proposal, then the platform keeps its endpoints and the proposal is gone', async () => {
    await registerPlatform(hospital('rejected'));
    await proposePlatformChange({ ...hospital('rejected'), authUrl: 'https://lms.example/other-auth' });
    const list = (await operator.get('/admin/platforms').expect(200)).text;
    const { action, proposedAt } = proposalForm(list, 'rejected');
    const rejected = await post(action, { decision: 'reject', proposedAt });
    expect(rejected.status).toBe(303);
    expect((await stored('rejected'))!.authUrl).toBe(rounds.sandbox!.registration.authUrl);
    expect(decodeHtml((await operator.get('/admin/platforms').expect(200)).text)).not.toContain(
      'https://lms.example/other-auth',
    );
  });
});

describe('the tenants page', () => {
  it('when tenants have launched, then each shows its LMS, counts, first launch in UTC and its admin accounts', async () => {
    await adminAgent(rounds);
    const { issuer, clientId, deploymentId } = rounds.sandbox!;
    const tenant = (await TenantModel.findOne({ issuer, clientId, deploymentId }).lean())!;
    const admin = await signInAccount(rounds, {
      name: 'Tess Tenant',
      roles: [{ role: 'tenant-admin', tenantId: String(tenant._id) }],
    });

    const page = decodeHtml((await operator.get('/operator/tenants').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    const row = page.slice(page.indexOf(`(tenant ${tenant._id})`));
    expect(row).toMatch(/<td data-label="People">[1-9]\d*<\/td>/);
    expect(row).toMatch(/<td data-label="Courses">[1-9]\d*<\/td>/);
    expect(row).toContain(`Tess Tenant, ${admin.email}: Tenant admin`);
    expect(row).toContain(`datetime="${tenant.createdAt.toISOString().slice(0, 19)}`);
    expect(row).toMatch(/\d{2}:\d{2} UTC<\/time>/);
  });
});
