import request from 'supertest';
import { CmeProfileModel } from '../../../../src/cme/core';
import { profileOf } from '../../../../src/cme/profile';
import { TenantModel } from '../../../../src/tenancy';
import {
  decodeHtml,
  openForm,
  postForm,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

const rounds = useTestRounds();
const profilePath = '/cme/profile';
let physician: Agent;
let course: SandboxCourse;
let physicianId: string;

const complete = {
  profession: 'physician-md',
  firstName: 'Priya',
  lastName: 'Raman',
  npi: '1234567893',
  licenseNumber: '036.123456',
  licenseState: 'IL',
  certifyingBoard: 'American Board of Internal Medicine',
  boardId: '123456',
  birthMonth: '02',
  birthDay: '29',
  nabpEprofileId: '',
};

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  course = await sandboxCourseIn(rounds);
  physicianId = await course.userId('4');
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
});

function save(agent: Agent, fields: Record<string, string>, path = profilePath) {
  return postForm(agent, path, profilePath, fields);
}

describe('who may open the reporting profile', () => {
  it('when someone without a session opens it, then 401', async () => {
    await request(rounds.url).get(profilePath).set('Accept', 'text/html').expect(401);
  });
});

describe('the reporting profile', () => {
  it('when a physician opens it the first time, then it explains why, with her LMS names filled in and every field labelled', async () => {
    const page = decodeHtml((await physician.get(profilePath).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('Before your first CME claim');
    expect(page).toMatch(/id="first-name" name="firstName" type="text" value="Priya"/);
    expect(page).toContain('<label for="npi">National Provider Identifier (NPI) (optional)</label>');
    expect(page).toContain('<option value="DC">District of Columbia</option>');
    expect(page).toContain('<option value="PR">Puerto Rico</option>');
    for (const id of ['consent-pars', 'consent-cpe-monitor', 'consent-ce-broker']) {
      expect(page).toContain(`<label for="${id}">`);
    }
    expect(await profileOf(course.tenantId, physicianId)).toBeNull();
  });

  it('when the NPI has a wrong check digit and the birth day is 02/30, then 400 with both messages at their fields, and everything typed kept', async () => {
    const response = await save(physician, {
      ...complete,
      npi: '1234567890',
      birthDay: '30',
      consentPars: 'yes',
    });
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('<title>Error: Your CME reporting profile · Rounds</title>');
    expect(page).toContain('<a href="#npi">This NPI’s last digit is not its check digit');
    expect(page).toMatch(/id="npi-error"><span class="visually-hidden">Error: <\/span>This NPI’s last digit/);
    expect(page).toContain('<a href="#birth-month">There is no 02/30 in any year');
    expect(page).toContain('value="1234567890"');
    expect(page).toContain('value="036.123456"');
    expect(page).toMatch(/<option value="IL" selected>Illinois/);
    expect(page).toMatch(/<option value="30" selected>30/);
    expect(page).toMatch(/id="consent-pars"[^>]*checked/);
    expect(page).toMatch(/id="profession-physician-md"[^>]*checked/);
    expect(await profileOf(course.tenantId, physicianId)).toBeNull();
  });

  it('when she saves with PARS consent, then the profile is stored and each consent is recorded with its time, shown in the tenant’s zone', async () => {
    const before = Date.now();
    const response = await save(physician, { ...complete, consentPars: 'yes' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${profilePath}?done=saved`);
    const profile = (await profileOf(course.tenantId, physicianId))!;
    expect(profile).toMatchObject({
      profession: 'physician-md',
      npi: '1234567893',
      licenseState: 'IL',
      birthMonthDay: '0229',
      nabpEprofileId: '',
    });
    expect(profile.consents!.pars).toMatchObject({ given: true });
    expect(profile.consents!.cpeMonitor).toMatchObject({ given: false });
    expect(profile.consents!.ceBroker).toMatchObject({ given: false });
    expect(profile.consents!.pars!.at.getTime()).toBeGreaterThanOrEqual(before - 1000);

    const page = decodeHtml((await physician.get(`${profilePath}?done=saved`).expect(200)).text);
    expect(page).toContain('Saved.');
    expect(page).toMatch(/Given on \d{1,2} \w+ \d{4} at \d\d:\d\d C[DS]T\./);
    expect(page).toContain('times in America/Chicago');
    expect(page).not.toContain('Before your first CME claim');
  });

  it('when she withdraws PARS consent later, then its new time is recorded and the unchanged consents keep theirs', async () => {
    const first = (await CmeProfileModel.findOne({ userId: physicianId }).lean())!;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await save(physician, { ...complete })).status).toBe(303);
    const second = (await CmeProfileModel.findOne({ userId: physicianId }).lean())!;
    expect(second.consents!.pars!.given).toBe(false);
    expect(second.consents!.pars!.at.getTime()).toBeGreaterThan(first.consents!.pars!.at.getTime());
    expect(second.consents!.ceBroker!.at).toEqual(first.consents!.ceBroker!.at);
    expect(await CmeProfileModel.countDocuments({ userId: physicianId })).toBe(1);
  });

  it('when she came from a claim page (?next=), then saving returns her there; another site is never a destination', async () => {
    const next = '/cme/activities/demo-activity';
    const { html } = await openForm(physician, `${profilePath}?next=${encodeURIComponent(next)}`);
    expect(html).toContain(`<input type="hidden" name="next" value="${next}">`);
    expect(decodeHtml(html)).toContain('Save and continue to your claim');
    const back = await save(physician, { ...complete, next });
    expect(back.headers.location).toBe(next);

    const { html: crafted } = await openForm(
      physician,
      `${profilePath}?next=${encodeURIComponent('//evil.example/')}`,
    );
    expect(crafted).not.toContain('name="next"');
    const refused = await save(physician, { ...complete, next: 'https://evil.example/' });
    expect(refused.headers.location).toBe(`${profilePath}?done=saved`);
  });

  it('when another learner opens the page, then she sees her own (empty) profile, never the physician’s', async () => {
    const nurse = (await signedInAs(rounds, 'nurse')).agent;
    const page = decodeHtml((await nurse.get(profilePath).expect(200)).text);
    expect(page).not.toContain('value="1234567893"');
    expect(page).not.toContain('value="036.123456"');
    expect(page).toContain('Before your first CME claim');
    expect(page).toMatch(/id="profession-nurse"[^>]*checked/);
  });
});
