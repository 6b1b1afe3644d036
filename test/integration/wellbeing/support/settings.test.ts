import request from 'supertest';
import { registerPlatform } from '../../../../src/lti/registration/platform.service';
import { TenantModel, UserModel } from '../../../../src/tenancy';
import { confirmedInstruments } from '../../../../src/wellbeing/support';
import { WellbeingSettingsModel } from '../../../../src/wellbeing/support/settings.model';
import {
  adminAgent,
  craftLaunch,
  decodeHtml,
  launchAs,
  openForm,
  postForm,
  postLaunch,
  signedInAs,
  throughRegistration,
  useTestRounds,
  type Agent,
} from '../../../support';

const rounds = useTestRounds();
let admin: Agent;

const settingsPath = '/admin/wellbeing';
const eap = {
  eapName: 'Mercy Health EAP',
  eapPhone: '1-800-555-0100',
  eapHours: 'Any time, day or night',
  eapUrl: 'https://eap.mercy.example/help',
  timeZone: 'America/Chicago',
};

beforeAll(async () => {
  admin = await adminAgent(rounds);
});

async function sandboxTenantId(): Promise<string> {
  const tenant = await TenantModel.findOne({
    issuer: rounds.sandbox!.issuer,
    clientId: rounds.sandbox!.clientId,
  });
  return String(tenant!._id);
}

function save(agent: Agent, fields: Record<string, string>) {
  return postForm(agent, settingsPath, settingsPath, fields);
}

describe('who may open the well-being settings', () => {
  it('when someone without a session opens them, then 401; a learner or a mentor gets 403', async () => {
    await request(rounds.url).get(settingsPath).set('Accept', 'text/html').expect(401);
    for (const person of ['nurse', 'mentor'] as const) {
      const { agent } = await launchAs(rounds, person);
      expect((await agent.get(settingsPath).set('Accept', 'text/html')).status).toBe(403);
    }
  });

  it('when a learner posts the form, then 403 and nothing is saved', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    const { csrf } = await openForm(agent, '/profile');
    const response = await agent
      .post(settingsPath)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, ...eap, eapName: 'Learner’s EAP', confirmPss10: 'yes' });
    expect(response.status).toBe(403);
    expect(await WellbeingSettingsModel.exists({ 'eap.name': 'Learner’s EAP' })).toBeNull();
    expect(await confirmedInstruments(await sandboxTenantId())).toEqual([]);
  });

  it('when an admin opens them, then the page shows the EAP form, the time zone, both instruments’ terms and links to aggregates and modules', async () => {
    const page = decodeHtml((await admin.get(settingsPath).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<label for="eap-phone">Phone number</label>');
    expect(page).toContain('id="time-zone"');
    expect(page).toContain('<option value="America/Chicago">');
    expect(page).toContain('PSS-10: stress over the last month');
    expect(page).toContain('Mini Z 2.0');
    expect(page).toContain('non-commercial education, research or program evaluation');
    expect(page).toContain('href="/admin/wellbeing/aggregates"');
    expect(page).toContain('href="/admin/modules"');
  });
});

describe('an admin sets the employee assistance program and time zone', () => {
  it('when an admin saves the EAP, then the support page shows it to learners and the tenant keeps the time zone', async () => {
    const saved = await save(admin, eap);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${settingsPath}?done=saved`);
    const tenant = await TenantModel.findById(await sandboxTenantId()).lean();
    expect(tenant!.timeZone).toBe('America/Chicago');

    const shown = decodeHtml((await admin.get(`${settingsPath}?done=saved`).expect(200)).text);
    expect(shown).toContain('Saved.');
    expect(shown).toContain('value="Mercy Health EAP"');

    const { agent } = await signedInAs(rounds, 'nurse');
    const support = decodeHtml((await agent.get('/support').expect(200)).text);
    expect(support).toContain('<h3 class="support-line__name">Mercy Health EAP</h3>');
    expect(support).toContain('<a class="support-contact" href="tel:18005550100">Call 1-800-555-0100</a>');
    expect(support).toContain('<dd>Any time, day or night</dd>');
    expect(support).toContain('href="https://eap.mercy.example/help" target="_blank"');
    expect(support).not.toContain('Ask your manager or HR');
  });

  it('when the phone and the link are invalid, then each field says what is wrong, keeps what was typed, and nothing is saved', async () => {
    const before = await WellbeingSettingsModel.findOne({ tenantId: await sandboxTenantId() }).lean();
    const refused = await save(admin, {
      ...eap,
      eapName: 'Typed <b>name</b>',
      eapPhone: 'call the front desk',
      eapUrl: 'http://eap.mercy.example',
      timeZone: 'Mars/Olympus',
    });
    expect(refused.status).toBe(400);
    const page = refused.text;
    expect(page).toContain('<a href="#eap-phone">Enter a phone number with digits only');
    expect(page).toContain('<a href="#eap-url">Enter a full web address starting with https://');
    expect(page).toContain('<a href="#time-zone">');
    expect(page).toContain('id="eap-phone-error"');
    expect(page).toContain('aria-describedby="eap-url-hint eap-url-error" aria-invalid="true"');
    expect(decodeHtml(page)).toContain('value="call the front desk"');
    expect(decodeHtml(page)).toContain('value="http://eap.mercy.example"');
    expect(decodeHtml(page)).toContain('value="Mars/Olympus"');
    // Stored strings are escaped, never markup.
    expect(page).not.toContain('<b>name</b>');
    expect(await WellbeingSettingsModel.findOne({ tenantId: await sandboxTenantId() }).lean()).toEqual(
      before,
    );
  });

  it('when the form is posted without its CSRF token, then 403', async () => {
    const response = await admin.post(settingsPath).type('form').set('Accept', 'text/html').send(eap);
    expect(response.status).toBe(403);
  });
});

describe('confirming eligible use of PSS-10 and Mini Z 2.0', () => {
  it('when an admin confirms PSS-10, then who and when are recorded and confirmedInstruments lists it; withdrawing turns it off again', async () => {
    const tenantId = await sandboxTenantId();
    expect(await confirmedInstruments(tenantId)).toEqual([]);
    const adminUser = (await UserModel.findOne({ subject: '2' }).lean())!;

    const before = Date.now();
    expect((await save(admin, { ...eap, confirmPss10: 'yes' })).status).toBe(303);
    expect(await confirmedInstruments(tenantId)).toEqual(['pss-10']);
    const settings = (await WellbeingSettingsModel.findOne({ tenantId }).lean())!;
    const confirmation = settings.confirmations.find((item) => item.instrument === 'pss-10')!;
    expect(String(confirmation.userId)).toBe(String(adminUser._id));
    expect(confirmation.userName).toBe('Sam Whitfield');
    expect(confirmation.at.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(confirmation.at.getTime()).toBeLessThanOrEqual(Date.now());

    const page = decodeHtml((await admin.get(settingsPath).expect(200)).text);
    expect(page).toContain('Confirmed by Sam Whitfield on');
    expect(page).toMatch(/id="confirm-pss-10" name="confirmPss10" value="yes" checked/);
    expect(page).toMatch(/id="confirm-mini-z-2" name="confirmMiniZ2" value="yes">/);

    // Saving again with the box still ticked keeps the original confirmation.
    expect((await save(admin, { ...eap, confirmPss10: 'yes' })).status).toBe(303);
    const again = (await WellbeingSettingsModel.findOne({ tenantId }).lean())!;
    expect(again.confirmations[0]!.at).toEqual(confirmation.at);

    expect((await save(admin, eap)).status).toBe(303);
    expect(await confirmedInstruments(tenantId)).toEqual([]);
    const history = (await WellbeingSettingsModel.findOne({ tenantId }).lean())!.confirmationHistory;
    expect(history.map((event) => [event.instrument, event.action, event.userName])).toEqual([
      ['pss-10', 'confirmed', 'Sam Whitfield'],
      ['pss-10', 'withdrawn', 'Sam Whitfield'],
    ]);
    const after = decodeHtml((await admin.get(settingsPath).expect(200)).text);
    expect(after).toContain('PSS-10: stress over the last month: withdrawn by Sam Whitfield on');
  });
});

describe('another tenant', () => {
  it('when another hospital’s admin opens the settings, then they see their own (empty) ones, not this tenant’s', async () => {
    const other = {
      ...rounds.sandbox!.registration,
      clientId: 'st-lukes-client',
      deploymentIds: ['st-lukes-1'],
      name: 'St. Luke’s Moodle',
    };
    await registerPlatform(other);
    const { agent, fields } = await craftLaunch(rounds, {
      person: 'cmeAdmin',
      initiation: (url) => {
        url.searchParams.set('client_id', other.clientId);
        url.searchParams.set('lti_deployment_id', other.deploymentIds[0]!);
      },
      claims: (claims) => throughRegistration(claims, other),
    });
    await postLaunch(agent, fields).expect(303);
    const page = decodeHtml((await agent.get(settingsPath).expect(200)).text);
    expect(page).not.toContain('Mercy Health EAP');
    expect(page).toContain('value="UTC"');
  });
});
