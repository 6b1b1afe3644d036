import request from 'supertest';
import { CmeActivityModel } from '../../../../src/cme';
import {
  createActivity,
  findActivityVersion,
  publishActivity,
  latestPublishedVersion,
  publishedActivitiesForCourse,
} from '../../../../src/cme/activities';
import { CourseModel, TenantModel } from '../../../../src/tenancy';
import { adminAgent, csrfTokenOf, decodeHtml, signedInAs, useTestRounds, type Agent } from '../../../support';
import { signInAccount } from '../../../support/accounts';

const rounds = useTestRounds();
const listPath = '/cme/admin/activities';
let admin: Agent;
let tenantId: string;
let courseId: string;

beforeAll(async () => {
  admin = await adminAgent(rounds);
  const tenant = await TenantModel.findOne({
    issuer: rounds.sandbox!.issuer,
    clientId: rounds.sandbox!.clientId,
  });
  tenantId = String(tenant!._id);
  courseId = String((await CourseModel.findOne({ tenantId }))!._id);
});

const amaStatement =
  'Mercy Health CME designates this enduring material for a maximum of 2 AMA PRA Category 1 Credits™. ' +
  'Physicians should claim only the credit commensurate with the extent of their participation in the activity.';

/** A complete activity form as an admin fills it in (enduring material, AMA and ANCC, a post-test, two people). */
function activityFields(title: string, overrides: Record<string, string | string[]> = {}) {
  return {
    title,
    description: 'Sleep, handovers and recovery after nights.',
    format: 'enduring',
    providerName: 'Mercy Health CME',
    accreditation: 'joint',
    accreditationStatement: 'In support of improving patient care, Mercy Health CME is jointly accredited.',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    location: '',
    accmeActivityId: '20261234',
    'designation.ama-pra-1.designated': 'yes',
    'designation.ama-pra-1.maximum': '2',
    'designation.ama-pra-1.statement': amaStatement,
    'designation.ancc.designated': 'yes',
    'designation.ancc.maximum': '2',
    'designation.ancc.statement':
      'Mercy Health CME designates this activity for a maximum of 2 ANCC contact hours.',
    passPercent: '80',
    'postTest.0.text': 'How long should a recovery nap before a night shift be?',
    'postTest.0.option.0': '5 minutes',
    'postTest.0.option.1': '20 to 30 minutes',
    'postTest.0.option.2': '3 hours',
    'postTest.0.correct': '1',
    evaluationRequired: 'yes',
    'evaluation.0.text': 'The activity met its stated learning objectives.',
    'evaluation.0.kind': 'scale',
    'disclosure.0.name': 'Dr. Ana Li',
    'disclosure.0.role': 'planner',
    'disclosure.1.name': 'Dr. Bo Chen',
    'disclosure.1.role': 'faculty',
    'disclosure.1.company': 'Acme Pharma',
    'disclosure.1.relationship': 'Consultant',
    'disclosure.1.mitigated': 'yes',
    courseIds: [courseId],
    ...overrides,
  };
}

/** The form encoded as a browser sends it (repeated names for checkboxes; dots kept in names). */
function encoded(fields: Record<string, string | string[]>, csrf: string): string {
  const body = new URLSearchParams({ _csrf: csrf });
  for (const [name, value] of Object.entries(fields))
    for (const item of ([] as string[]).concat(value)) body.append(name, item);
  return body.toString();
}

async function post(
  agent: Agent,
  formPath: string,
  action: string,
  fields: Record<string, string | string[]> = {},
) {
  const csrf = csrfTokenOf((await agent.get(formPath).expect(200)).text);
  return agent.post(action).type('form').set('Accept', 'text/html').send(encoded(fields, csrf));
}

/** Creates a draft through the form; returns its key. */
async function createThroughForm(title: string, overrides: Record<string, string | string[]> = {}) {
  const created = await post(admin, `${listPath}/new`, `${listPath}/new`, activityFields(title, overrides));
  expect(created.status).toBe(303);
  return /\/cme\/admin\/activities\/([a-z0-9-]+)\?done=created$/.exec(created.headers.location!)![1]!;
}

describe('who may open the activity pages', () => {
  it('when nobody is signed in, then 401; when a learner opens or posts them, then 403 and nothing is made', async () => {
    await request(rounds.url).get(listPath).set('Accept', 'text/html').expect(401);
    const { agent } = await signedInAs(rounds, 'physician');
    await agent.get(listPath).set('Accept', 'text/html').expect(403);
    await agent.get(`${listPath}/new`).set('Accept', 'text/html').expect(403);
    const csrf = csrfTokenOf((await agent.get('/profile').expect(200)).text);
    const posted = await agent
      .post(`${listPath}/new`)
      .type('form')
      .set('Accept', 'text/html')
      .send(encoded(activityFields('A learner’s activity'), csrf));
    expect(posted.status).toBe(403);
    expect(await CmeActivityModel.exists({ title: 'A learner’s activity' })).toBeNull();
  });

  it('when a CME admin of another tenant opens this tenant’s activity, then 404 and it is not in their list', async () => {
    const key = await createThroughForm('Only for Mercy');
    const other = await TenantModel.create({
      issuer: 'https://other.example',
      clientId: 'c',
      deploymentId: 'd',
    });
    const { agent } = await signInAccount(rounds, {
      roles: [{ role: 'cme-admin', tenantId: String(other._id) }],
      totp: true,
    });
    expect((await agent.get(`${listPath}/${key}`).set('Accept', 'text/html')).status).toBe(404);
    const list = await agent.get(listPath).expect(200);
    expect(list.text).not.toContain('Only for Mercy');
    const csrf = csrfTokenOf(list.text);
    const closed = await agent
      .post(`${listPath}/${key}/close`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf });
    expect(closed.status).toBe(404);
    expect(await latestPublishedVersion(String(other._id), key)).toBeNull();
  });
});

describe('drafting an activity', () => {
  it('when the admin opens a new activity, then the AMA designation wording of DOMAIN.md is there to fill in', async () => {
    const page = decodeHtml((await admin.get(`${listPath}/new`).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain(
      '[Provider] designates this enduring material for a maximum of [N] AMA PRA Category 1 Credits™. Physicians should claim only the credit commensurate with the extent of their participation in the activity.',
    );
    const filled = decodeHtml(
      (
        await post(admin, `${listPath}/new`, `${listPath}/new`, {
          ...activityFields('Wording'),
          'designation.ama-pra-1.maximum': '1.25',
          action: 'wording',
        })
      ).text,
    );
    expect(filled).toContain(
      'Mercy Health CME designates this enduring material for a maximum of 1.25 AMA PRA Category 1 Credits™.',
    );
    expect(filled).toContain('Mercy Health CME is jointly accredited by the Accreditation Council');
    expect(await CmeActivityModel.exists({ tenantId, title: 'Wording' })).toBeNull();
  });

  it('when the form has wrong input, then 400, each message at its field with a summary link, and everything typed kept', async () => {
    const response = await post(
      admin,
      `${listPath}/new`,
      `${listPath}/new`,
      activityFields('Night shifts, refused', {
        format: 'live',
        endDate: '2025-12-31',
        accmeActivityId: 'PARS-1',
        'designation.ama-pra-1.statement': '',
        'designation.ancc.maximum': '1.3',
        'designation.acpe.designated': 'yes',
        'designation.acpe.maximum': '2',
        'designation.acpe.statement': 'Two ACPE contact hours.',
        'designation.acpe.uan': '12-34',
      }),
    );
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('Enter the designation statement learners and certificates show.');
    expect(page).toContain('href="#designation-ama-pra-1-statement"');
    expect(page).toMatch(/id="designation-ama-pra-1-statement"[^>]*aria-invalid="true"/);
    expect(page).toContain('Enter a maximum above 0 in quarter steps');
    expect(page).toContain('The end date cannot be before the start date.');
    expect(page).toContain('A live activity needs its location.');
    expect(page).toContain('Enter the ACCME activity ID as digits only');
    expect(page).toContain('Enter the ACPE UAN like 0000-0000-00-000-L04-P');
    expect(page).toContain('Choose the ACPE activity type');
    // What was typed stays.
    expect(page).toContain('value="Night shifts, refused"');
    expect(page).toContain('value="1.3"');
    expect(page).toContain('value="12-34"');
    expect(page).toContain('value="Acme Pharma"');
    expect(await CmeActivityModel.exists({ tenantId, title: 'Night shifts, refused' })).toBeNull();
  });

  it('when the admin saves a draft, then it is version 1, a draft, with what was typed, and learners cannot claim it', async () => {
    const key = await createThroughForm('Recovery after nights');
    expect(key).toBe('recovery-after-nights');
    const page = decodeHtml((await admin.get(`${listPath}/${key}?done=created`).expect(200)).text);
    expect(page).toContain('Draft saved.');
    expect(page).toContain('Version 1');
    expect(page).toContain('value="Recovery after nights"');
    const draft = await findActivityVersion(tenantId, key);
    expect(draft).toMatchObject({ version: 1, status: 'draft', format: 'enduring' });
    expect(draft!.designations.map((row) => [row.creditType, row.maximum])).toEqual([
      ['ama-pra-1', 2],
      ['ancc', 2],
    ]);
    expect(draft!.requirements?.postTest?.questions[0]).toMatchObject({
      correct: 1,
      options: ['5 minutes', '20 to 30 minutes', '3 hours'],
    });
    expect(draft!.disclosures).toHaveLength(2);
    expect(await latestPublishedVersion(tenantId, key)).toBeNull();

    const list = decodeHtml((await admin.get(listPath).expect(200)).text);
    expect(list).toContain('Recovery after nights');
    expect(list).toContain('2 AMA PRA Category 1 Credit™ · 2 ANCC contact hours');
  });
});

describe('publishing, versions and closing', () => {
  it('when enduring material has no post-test and no required module, then publishing is refused naming it, and nothing is published', async () => {
    const key = await createThroughForm('No post-test yet', {
      passPercent: '',
      'postTest.0.text': '',
      'postTest.0.option.0': '',
      'postTest.0.option.1': '',
      'postTest.0.option.2': '',
      'postTest.0.correct': '',
    });
    const refused = await post(admin, `${listPath}/${key}`, `${listPath}/${key}/publish`);
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain(
      'Enduring material needs an assessment before it is published: a post-test with a pass mark, or required modules',
    );
    expect(refused.text).toContain('href="#passPercent"');
    expect((await findActivityVersion(tenantId, key))!.status).toBe('draft');
  });

  it('when published, then learners claim under it, its designation cannot change, and a new version leaves it as it was', async () => {
    const key = await createThroughForm('Handover habits');
    const published = await post(admin, `${listPath}/${key}`, `${listPath}/${key}/publish`);
    expect(published.status).toBe(303);
    const page = decodeHtml((await admin.get(published.headers.location!).expect(200)).text);
    expect(page).toContain('Published: learners can claim credit under this version now.');
    expect(page).toContain('Make a new version');
    expect(page).not.toContain('Save draft');
    expect((await latestPublishedVersion(tenantId, key))!.version).toBe(1);
    expect((await publishedActivitiesForCourse(tenantId, courseId)).map((row) => row.key)).toContain(key);

    // The published version refuses changes.
    const edit = await post(
      admin,
      `${listPath}/${key}`,
      `${listPath}/${key}`,
      activityFields('Handover habits', { 'designation.ama-pra-1.maximum': '5' }),
    );
    expect(edit.status).toBe(409);
    expect(decodeHtml(edit.text)).toContain('Make a new version to change it.');
    expect((await findActivityVersion(tenantId, key, 1))!.designations[0]!.maximum).toBe(2);

    // A new version: a draft copy; learners still claim under version 1.
    expect((await post(admin, `${listPath}/${key}`, `${listPath}/${key}/new-version`)).status).toBe(303);
    const draft = await findActivityVersion(tenantId, key);
    expect(draft).toMatchObject({ version: 2, status: 'draft', title: 'Handover habits' });
    expect((await latestPublishedVersion(tenantId, key))!.version).toBe(1);
    const draftPage = decodeHtml((await admin.get(`${listPath}/${key}`).expect(200)).text);
    expect(draftPage).toContain('They claim under version 1 until you publish this one.');

    const saved = await post(
      admin,
      `${listPath}/${key}`,
      `${listPath}/${key}`,
      activityFields('Handover habits', { 'designation.ama-pra-1.maximum': '2.5' }),
    );
    expect(saved.status).toBe(303);
    expect((await post(admin, `${listPath}/${key}`, `${listPath}/${key}/publish`)).status).toBe(303);
    expect(await latestPublishedVersion(tenantId, key)).toMatchObject({ version: 2 });
    expect((await latestPublishedVersion(tenantId, key))!.designations[0]!.maximum).toBe(2.5);
    const first = await findActivityVersion(tenantId, key, 1);
    expect(first).toMatchObject({ status: 'published' });
    expect(first!.designations[0]!.maximum).toBe(2);
    const older = decodeHtml((await admin.get(`${listPath}/${key}/versions/1`).expect(200)).text);
    expect(older).toContain('This is an earlier version, kept as it was for the claims made under it.');
  });

  it('when the admin closes an activity, then no version takes claims and the course no longer opens it', async () => {
    const key = await createThroughForm('Closing time');
    await post(admin, `${listPath}/${key}`, `${listPath}/${key}/publish`);
    const closed = await post(admin, `${listPath}/${key}`, `${listPath}/${key}/close`);
    expect(closed.status).toBe(303);
    expect(decodeHtml((await admin.get(closed.headers.location!).expect(200)).text)).toContain(
      'Closed: learners can no longer claim credit.',
    );
    expect(await latestPublishedVersion(tenantId, key)).toBeNull();
    expect((await publishedActivitiesForCourse(tenantId, courseId)).map((row) => row.key)).not.toContain(key);
  });

  it('when a key names no activity, then 404', async () => {
    expect((await admin.get(`${listPath}/no-such-activity`).set('Accept', 'text/html')).status).toBe(404);
    expect((await admin.get(`${listPath}/Bad..Key`).set('Accept', 'text/html')).status).toBe(404);
  });
});

describe('activities made by a script (the demo)', () => {
  const editor = () => ({ tenantId, name: 'Demo seed' });
  const content = {
    format: 'enduring' as const,
    providerName: 'Mercy Health CME',
    accreditation: 'joint' as const,
    accreditationStatement: 'Jointly accredited.',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    designations: [{ creditType: 'ama-pra-1' as const, maximum: 2, statement: amaStatement }],
    requirements: {
      postTest: { passPercent: 80, questions: [{ text: 'Q?', options: ['a', 'b'], correct: 0 }] },
    },
    disclosures: [{ name: 'Dr. Ana Li', role: 'planner' as const }],
  };

  it('when a script creates and publishes one, then it has the default evaluation and learners can claim it', async () => {
    const created = await createActivity(editor(), { ...content, key: 'demo-night-shifts', title: 'Demo' });
    expect(created.requirements?.evaluationRequired).toBe(true);
    expect(created.requirements?.evaluationQuestions.length).toBeGreaterThan(0);
    await publishActivity(editor(), 'demo-night-shifts');
    expect((await latestPublishedVersion(tenantId, 'demo-night-shifts'))!.version).toBe(1);
    await expect(
      createActivity(editor(), { ...content, key: 'demo-night-shifts', title: 'Again' }),
    ).rejects.toThrow('exists already');
  });

  it('when a title would make a reserved key, then the key is another, so the placement and the new page still work', async () => {
    expect((await createActivity(editor(), { ...content, title: 'Course credit' })).key).toBe(
      'course-credit-activity',
    );
    expect((await createActivity(editor(), { ...content, title: 'New' })).key).toBe('new-activity');
    await expect(createActivity(editor(), { ...content, title: 'X', key: 'course-credit' })).rejects.toThrow(
      'Some fields need attention.',
    );
  });
});
