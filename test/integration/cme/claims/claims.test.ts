import mongoose from 'mongoose';
import request from 'supertest';
import { activeClaimsOf, claimCredit, ledgerOf } from '../../../../src/cme/claims';
import { LedgerEntryModel } from '../../../../src/cme';
import { findTargetByKey, landingPathForKey, listTargets } from '../../../../src/targets';
import { TenantModel } from '../../../../src/tenancy';
import { sandboxCourseIn, signedInAs, useTestRounds, type Agent, type SandboxCourse } from '../../../support';
import {
  amaStatement,
  entriesFor,
  postClaim,
  seedActivity,
  seedCompletion,
  seedProfile,
  textOf,
} from './claims.support';

// The claim page (issue 13, item 3): disclosures, requirements, attestation and the claim; its refusals; and
// where placed CME claim pages land.
const rounds = useTestRounds();
let course: SandboxCourse;
let physician: Agent;
let nurse: Agent;
let pharmacist: Agent;
let ids: Record<'physician' | 'nurse' | 'pharmacist', string>;
let key: string;

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  pharmacist = (await signedInAs(rounds, 'pharmacist')).agent;
  course = await sandboxCourseIn(rounds);
  await TenantModel.updateOne({ _id: course.tenantId }, { timeZone: 'America/Chicago' });
  ids = {
    physician: await course.userId('4'),
    nurse: await course.userId('3'),
    pharmacist: await course.userId('5'),
  };
  key = (await seedActivity(course.tenantId, { courseIds: [course.courseId] })).key;
});

describe('before the requirements are met', () => {
  it('when the physician opens the claim page, then the disclosures come before the requirements, each unmet one linked', async () => {
    const page = textOf(await physician.get(`/cme/activities/${key}`).expect(200));
    expect(page.indexOf('Financial relationships of planners and faculty')).toBeLessThan(
      page.indexOf('What this activity requires'),
    );
    expect(page).toContain('Acme Pharma: Consultant');
    expect(page).toContain('Yes, mitigated before the activity');
    expect(page).toContain('No relevant financial relationships');
    expect(page).toMatch(
      /To do<\/span>\s*<a class="cme-requirement__label" href="\/modules\/stress-first-aid">Complete the module/,
    );
    expect(page).not.toContain('name="attest"');
  });

  it('when she claims anyway, then 400 naming what is missing, and no ledger entry', async () => {
    const refused = await postClaim(physician, key, { 'amount-ama-pra-1': '1', attest: 'yes' });
    expect(refused.status).toBe(400);
    expect(textOf(refused)).toMatch(
      /requirements are not all met\. Still required: Complete the module “[^”]+”\./,
    );
    expect(await entriesFor(ids.physician, key)).toHaveLength(0);
  });
});

describe('the physician’s claim', () => {
  beforeAll(async () => {
    // 23:30 in Chicago on 14 March is 15 March in UTC: the claim is dated the Chicago date.
    await seedCompletion(course.tenantId, ids.physician, '2026-03-14T23:30');
  });

  it('when she has no reporting profile yet, then the page asks for it and a claim goes to it first', async () => {
    const page = textOf(await physician.get(`/cme/activities/${key}`).expect(200));
    expect(page).toContain(`href="/cme/profile?next=%2Fcme%2Factivities%2F${key}"`);
    const sent = await postClaim(physician, key, { 'amount-ama-pra-1': '1', attest: 'yes' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/cme/profile?next=%2Fcme%2Factivities%2F${key}`);
    await seedProfile(course.tenantId, ids.physician, 'physician-md', ['Priya', 'Raman']);
  });

  it('when she claims 1.3, then 400 with the quarter-step rule at the field and 1.3 kept', async () => {
    const refused = await postClaim(physician, key, { 'amount-ama-pra-1': '1.3', attest: 'yes' });
    expect(refused.status).toBe(400);
    const page = textOf(refused);
    expect(page).toContain(
      '<a href="#amount-ama-pra-1">Claim AMA PRA Category 1 Credit™ in quarter-hour steps (0.25, 0.5, 0.75, 1, …): 1.3 is not one.</a>',
    );
    expect(page).toMatch(/id="amount-ama-pra-1" name="amount-ama-pra-1"[^>]*value="1.3"/);
    expect(page).toMatch(/id="attest" name="attest" value="yes" checked/);
  });

  it('when she claims above the maximum, or without attesting, then 400 naming each rule', async () => {
    const above = textOf(await postClaim(physician, key, { 'amount-ama-pra-1': '2.25', attest: 'yes' }));
    expect(above).toContain(
      'You can claim at most 2 AMA PRA Category 1 Credit™ for this activity: its designated maximum.',
    );
    const unattested = await postClaim(physician, key, { 'amount-ama-pra-1': '1' });
    expect(unattested.status).toBe(400);
    expect(textOf(unattested)).toContain('<a href="#attest">Tick the attestation');
    expect(await entriesFor(ids.physician, key)).toHaveLength(0);
  });

  it('when she claims 1.25 and attests, then one ledger entry with its certificate number, attestation and the Chicago completion date', async () => {
    const page = textOf(await physician.get(`/cme/activities/${key}`).expect(200));
    expect(page).toContain('I attest that I completed the activity');
    expect(page).toContain('on 14 March 2026');
    expect(page).not.toContain('name="amount-participation"');
    const sent = await postClaim(physician, key, { 'amount-ama-pra-1': '1.25', attest: 'yes' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe(`/cme/activities/${key}?done=claimed`);
    const [entry, ...more] = await entriesFor(ids.physician, key);
    expect(more).toHaveLength(0);
    expect(entry).toMatchObject({
      kind: 'claim',
      creditType: 'ama-pra-1',
      amount: 1.25,
      completionDate: '2026-03-14',
      activityVersion: 1,
      learnerName: 'Priya Raman',
      profession: 'physician-md',
      recordedBy: { kind: 'learner', id: ids.physician, name: expect.stringContaining('Priya') },
      number: expect.stringMatching(/^RND-(?:[0-9A-Z]{4}-){4}.$/),
    });
    expect(entry!.attestationText).toContain(amaStatement);
    const after = textOf(await physician.get(sent.headers.location!).expect(200));
    expect(after).toContain('Your claim is recorded.');
    expect(after).toContain(`href="/cme/certificates/${entry!.number}.pdf"`);
    expect(after).toContain('You have claimed every credit this activity offers you.');
  });

  it('when she claims the same credit type again, then 400 "already claimed" naming the certificate, still one entry', async () => {
    const again = await postClaim(physician, key, { 'amount-ama-pra-1': '0.5', attest: 'yes' });
    expect(again.status).toBe(400);
    const [entry] = await entriesFor(ids.physician, key);
    expect(textOf(again)).toContain(
      `You already claimed AMA PRA Category 1 Credit™ for this activity: certificate ${entry!.number}.`,
    );
    expect(await entriesFor(ids.physician, key)).toHaveLength(1);
  });

  it('then her ledger lists the claim as standing', async () => {
    const [line] = await activeClaimsOf(course.tenantId, ids.physician);
    expect(line).toMatchObject({
      activityKey: key,
      amount: 1.25,
      revoked: false,
      activityTitle: expect.stringContaining('Stress First Aid'),
    });
    expect(await ledgerOf(course.tenantId, ids.physician, { from: '2026-03-15' })).toEqual([]);
  });
});

describe('the nurse and the pharmacist', () => {
  beforeAll(async () => {
    for (const [userId, profession, name] of [
      [ids.nurse, 'nurse', ['Nora', 'Okafor']],
      [ids.pharmacist, 'pharmacist', ['Marcus', 'Lee']],
    ] as const) {
      await seedCompletion(course.tenantId, userId, '2026-03-10T09:00');
      await seedProfile(course.tenantId, userId, profession, [...name]);
    }
  });

  it('when the nurse opens the page, then she is offered participation hours, not AMA credit', async () => {
    const page = textOf(await nurse.get(`/cme/activities/${key}`).expect(200));
    expect(page).toContain('name="amount-participation"');
    expect(page).not.toContain('name="amount-ama-pra-1"');
  });

  it('when she sends AMA credit anyway (a tampered form), then 400 naming the physicians-only rule, nothing written', async () => {
    const refused = await postClaim(nurse, key, { 'amount-ama-pra-1': '1', attest: 'yes' });
    expect(refused.status).toBe(400);
    expect(textOf(refused)).toContain(
      'AMA PRA Category 1 Credit™ is for physicians (MD or DO) only. As a nurse you receive a certificate of participation with hours instead.',
    );
    expect(await entriesFor(ids.nurse, key)).toHaveLength(0);
  });

  it('when she claims 1.5 participation hours, then they are recorded', async () => {
    const sent = await postClaim(nurse, key, { 'amount-participation': '1.5', attest: 'yes' });
    expect(sent.status).toBe(303);
    expect(await entriesFor(ids.nurse, key)).toEqual([
      expect.objectContaining({
        creditType: 'participation',
        amount: 1.5,
        profession: 'nurse',
        completionDate: '2026-03-10',
      }),
    ]);
  });

  it('when the pharmacist double-submits (two requests racing), then one ledger entry', async () => {
    const fields = { 'amount-participation': '2', attest: 'yes' };
    const answers = await Promise.all([
      postClaim(pharmacist, key, fields),
      postClaim(pharmacist, key, fields),
    ]);
    expect(answers.map((answer) => answer.status)).toContain(303);
    for (const answer of answers) expect([303, 400]).toContain(answer.status);
    expect(await entriesFor(ids.pharmacist, key)).toHaveLength(1);
  });
});

describe('who may claim what', () => {
  it('when a learner of another tenant claims with this activity’s key, then it is not found and nothing is written', async () => {
    const stranger = { ...(await seedStranger()), role: 'learner' as const, name: 'Eve', courseTitle: '' };
    await expect(
      claimCredit(stranger, key, { attested: true, amounts: { 'ama-pra-1': '1' } }),
    ).rejects.toThrow(/no CME activity here/);
    expect(await LedgerEntryModel.countDocuments({ userId: stranger.userId })).toBe(0);
  });

  it('when the activity is a draft or closed, then its claim page is 404', async () => {
    const draft = await seedActivity(course.tenantId, { status: 'draft' });
    const closed = await seedActivity(course.tenantId, { status: 'closed' });
    await physician.get(`/cme/activities/${draft.key}`).set('Accept', 'text/html').expect(404);
    expect(
      textOf(await physician.get(`/cme/activities/${closed.key}`).set('Accept', 'text/html').expect(404)),
    ).toContain('not open for claims');
    await physician.get('/cme/activities/no-such-activity').set('Accept', 'text/html').expect(404);
  });

  it('when someone without a session opens a claim page, then 401', async () => {
    await request(rounds.url).get(`/cme/activities/${key}`).set('Accept', 'text/html').expect(401);
  });
});

describe('placed CME claim pages', () => {
  it('when the course’s placed course-credit is launched with one activity linked, then it opens that claim page', async () => {
    const landing = await physician.get('/targets/cme-claim/course-credit').expect(303);
    expect(landing.headers.location).toBe(`/cme/activities/${key}`);
  });

  it('when a second activity links the course, then a list of both; with none, a page saying the CME office has not set one up', async () => {
    const second = await seedActivity(course.tenantId, {
      courseIds: [course.courseId],
      title: 'Sleep and Night Shifts',
    });
    const list = textOf(await physician.get('/targets/cme-claim/course-credit').expect(200));
    expect(list).toContain(`<a href="/cme/activities/${second.key}">Sleep and Night Shifts</a>`);
    expect(list).toContain(`<a href="/cme/activities/${key}">`);
    await mongoose
      .model('CmeActivity')
      .updateMany({ tenantId: course.tenantId }, { $set: { courseIds: [] } });
    const none = textOf(await physician.get('/targets/cme-claim/course-credit').expect(200));
    expect(none).toContain('the CME office has not set up an activity');
  });

  it('when deep linking lists targets, then each published activity is offered as cme-claim:<key>, and course-credit stays', async () => {
    const targets = await listTargets(course.tenantId, course.courseId);
    const claimKeys = targets.filter((target) => target.kind === 'cme-claim').map((target) => target.id);
    expect(claimKeys).toEqual(expect.arrayContaining([key, 'course-credit']));
    expect(await findTargetByKey(`cme-claim:${key}`, course.tenantId)).toMatchObject({
      kind: 'cme-claim',
      id: key,
    });
    expect(await findTargetByKey(`cme-claim:${key}`, String(new mongoose.Types.ObjectId()))).toBeUndefined();
    expect(landingPathForKey(`cme-claim:${key}`)).toBe(`/targets/cme-claim/${key}`);
    const launched = await physician.get(`/targets/cme-claim/${key}`).expect(303);
    expect(launched.headers.location).toBe(`/cme/activities/${key}`);
  });
});

/** A learner of a tenant of their own. */
async function seedStranger() {
  const tenant = await TenantModel.create({
    issuer: 'https://elsewhere.example',
    clientId: 'elsewhere',
    deploymentId: 'claims-other',
  });
  return {
    tenantId: String(tenant._id),
    userId: String(new mongoose.Types.ObjectId()),
    courseId: String(new mongoose.Types.ObjectId()),
  };
}

describe('after the activity has ended', () => {
  it('when the requirements were completed after its last day, then the claim is refused naming the end date, and nothing is written', async () => {
    const ended = await seedActivity(course.tenantId, {
      endDate: '2026-02-28',
      requirements: { moduleSlugs: ['two-minute-resets'], evaluationRequired: false },
    });
    await seedCompletion(course.tenantId, ids.pharmacist, '2026-03-14T10:00', 'two-minute-resets');
    const pharmacistActor = {
      tenantId: course.tenantId,
      userId: ids.pharmacist,
      courseId: course.courseId,
      role: 'learner' as const,
      name: 'Marcus Lee, PharmD',
      courseTitle: 'Sandbox',
    };
    await expect(
      claimCredit(pharmacistActor, ended.key, { attested: true, amounts: { participation: '1' } }),
    ).rejects.toMatchObject({ fields: { form: expect.stringContaining('This activity ended on') } });
    expect(await entriesFor(ids.pharmacist, ended.key)).toHaveLength(0);
  });
});
