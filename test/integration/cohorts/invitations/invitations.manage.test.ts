import request from 'supertest';
import { MentorInvitationModel } from '../../../../src/cohorts/invitations';
import { sha256Hex } from '../../../../src/shared/crypto/digest';
import {
  decodeHtml,
  openForm,
  postForm,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

// A cohort manager's side of inviting mentors from another institution (issue 12, item 8): the form, bad
// input kept, a single-use link shown once (only its SHA-256 stored), the list of invitations, revocation.

const rounds = useTestRounds();
let instructor: Agent;
let course: SandboxCourse;
let cohortId: string;

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  course = await sandboxCourseIn(rounds);
  cohortId = await seedCohort(course, { name: 'Rural mentoring 2026' });
});

const pageOf = (id: string) => `/cohorts/${id}/invitations`;

/** The answer of a posted form, checked for its status (a failing check shows the page). */
async function answered(posting: ReturnType<typeof postForm>, status: number) {
  const answer = await posting;
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}:\n${answer.text}`);
  return answer;
}

function invite(fields: Record<string, string>, id = cohortId) {
  return postForm(instructor, pageOf(id), pageOf(id), fields);
}

/** Invites over HTTP and follows the redirect, as the browser does; returns the page with the link. */
async function inviteAndOpen(name: string, email: string) {
  const sent = await answered(invite({ name, email }), 303);
  const location = sent.headers.location!;
  expect(location).toMatch(
    new RegExp(`^/cohorts/${cohortId}/invitations\\?created=[0-9a-f]{24}#created-link$`),
  );
  const page = await instructor.get(location).expect(200);
  return { location, html: decodeHtml(page.text), page };
}

const linkIn = (html: string) => /value="(http[^"]*\/invitations\/[\w-]{43})"/.exec(html)?.[1];

describe('the invitations page', () => {
  it('when the course instructor opens it, then one heading, the invite form with labels, and a note that Rounds sends no e-mail', async () => {
    const html = decodeHtml((await instructor.get(pageOf(cohortId)).expect(200)).text);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<label for="mentor-name">Name</label>');
    expect(html).toContain('<label for="mentor-email">E-mail address</label>');
    expect(html).toContain('does not send');
    expect(html).toContain('for 7 days');
    expect(html).toContain('aria-current="page">External mentors</a>');
    expect(html).toContain('No invitations yet.');
  });

  it('when a learner of the course or someone without a session opens it, then 403 and 401', async () => {
    const { agent } = await signedInAs(rounds, 'nurse');
    await agent.get(pageOf(cohortId)).set('Accept', 'text/html').expect(403);
    await request(rounds.url).get(pageOf(cohortId)).set('Accept', 'text/html').expect(401);
  });

  it('when a learner posts an invitation, then 403 and nothing is stored', async () => {
    const { agent } = await signedInAs(rounds, 'pharmacist');
    const { csrf } = await openForm(agent, '/profile');
    await agent
      .post(pageOf(cohortId))
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, name: 'Sneaky', email: 'sneaky@example.org' })
      .expect(403);
    expect(await MentorInvitationModel.exists({ email: 'sneaky@example.org' })).toBeNull();
  });

  it('when the cohort is a peer circle, then there is no invitations page (404)', async () => {
    const circle = await seedCohort(course, { kind: 'peer-circle' });
    await instructor.get(pageOf(circle)).set('Accept', 'text/html').expect(404);
  });

  it('when the e-mail is not an address and the name is empty, then 400 with each message at its field and what was typed kept', async () => {
    const answer = await invite({ name: '', email: 'dr.rivera at valley' });
    expect(answer.status).toBe(400);
    const html = decodeHtml(answer.text);
    expect(html).toContain('There is a problem');
    expect(html).toContain('<a href="#mentor-name">Enter the mentor’s name.</a>');
    expect(html).toContain('<a href="#mentor-email">Enter an e-mail address such as name@hospital.org.</a>');
    expect(html).toContain('id="mentor-email-error"');
    expect(html).toContain('value="dr.rivera at valley"');
    expect(await MentorInvitationModel.countDocuments({ cohortId })).toBe(0);
  });

  it('when the form is sent without its CSRF token, then 403 and nothing is stored', async () => {
    await instructor
      .post(pageOf(cohortId))
      .type('form')
      .set('Accept', 'text/html')
      .send({ name: 'No Token', email: 'no-token@example.org' })
      .expect(403);
    expect(await MentorInvitationModel.exists({ email: 'no-token@example.org' })).toBeNull();
  });
});

describe('inviting', () => {
  it('when a mentor is invited, then the link is shown once after the redirect, valid 7 days, and only its SHA-256 is stored', async () => {
    const before = Date.now();
    const { location, html, page } = await inviteAndOpen(
      'Dr. Ana Rivera',
      'Ana.Rivera@Valley-Clinic.example',
    );
    expect(page.headers['cache-control']).toBe('no-store');
    const url = linkIn(html);
    expect(url).toBeDefined();
    expect(url!.startsWith(`${rounds.config.publicUrl}/invitations/`)).toBe(true);
    expect(html).toContain('Send this link to Dr. Ana Rivera');
    expect(html).toContain('ana.rivera@valley-clinic.example');
    expect(html).toContain('(America/Chicago)');

    const token = url!.split('/').pop()!;
    const stored = await MentorInvitationModel.findOne({
      cohortId,
      email: 'ana.rivera@valley-clinic.example',
    }).lean();
    expect(stored!.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const days = (stored!.expiresAt.getTime() - before) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThan(7.01);

    const reload = decodeHtml((await instructor.get(location).expect(200)).text);
    expect(linkIn(reload)).toBeUndefined();
    expect(reload).toContain('Dr. Ana Rivera');
    expect(reload).toContain('Pending: expires');
  });

  it('when the same address is invited again, then the earlier link stops working and one pending invitation remains', async () => {
    const first = linkIn((await inviteAndOpen('Dr. Ben Okafor', 'ben@lakeside.example')).html)!;
    const second = linkIn((await inviteAndOpen('Dr. Ben Okafor', 'ben@lakeside.example')).html)!;
    expect(second).not.toBe(first);
    const states = await MentorInvitationModel.find({ cohortId, email: 'ben@lakeside.example' })
      .sort({ createdAt: 1 })
      .lean();
    expect(states.map((invitation) => invitation.state)).toEqual(['revoked', 'pending']);
    const old = await request(rounds.url).get(new URL(first).pathname).set('Accept', 'text/html');
    expect(old.status).toBe(410);
    expect(decodeHtml(old.text)).toContain('This invitation was withdrawn');
    await request(rounds.url).get(new URL(second).pathname).expect(200);
  });

  it('when a pending invitation is revoked, then its link answers 410 and the list says Revoked', async () => {
    const url = linkIn((await inviteAndOpen('Dr. Chen Wu', 'chen@hills.example')).html)!;
    const invitation = await MentorInvitationModel.findOne({ cohortId, email: 'chen@hills.example' }).lean();
    const revoked = await answered(
      postForm(instructor, pageOf(cohortId), `${pageOf(cohortId)}/${String(invitation!._id)}/revoke`),
      303,
    );
    expect(revoked.headers.location).toBe(`${pageOf(cohortId)}?done=revoked`);
    const list = decodeHtml((await instructor.get(revoked.headers.location!).expect(200)).text);
    expect(list).toContain('Revoked. The link no longer works');
    expect(list).toMatch(/Dr\. Chen Wu[\s\S]*?Revoked/);

    const link = await request(rounds.url).get(new URL(url).pathname).set('Accept', 'text/html');
    expect(link.status).toBe(410);
    expect(decodeHtml(link.text)).toContain('This invitation was withdrawn. Ask Dr. Elena García');
  });

  it('when an invitation id of another cohort is revoked through this one, then 404 and it stays pending', async () => {
    const other = await seedCohort(course);
    await answered(
      postForm(instructor, pageOf(other), pageOf(other), { name: 'Dr. Dee', email: 'dee@other.example' }),
      303,
    );
    const invitation = await MentorInvitationModel.findOne({ email: 'dee@other.example' }).lean();
    await answered(
      postForm(instructor, pageOf(cohortId), `${pageOf(cohortId)}/${String(invitation!._id)}/revoke`),
      404,
    );
    await answered(postForm(instructor, pageOf(cohortId), `${pageOf(cohortId)}/not-an-id/revoke`), 404);
    expect((await MentorInvitationModel.findById(invitation!._id).lean())!.state).toBe('pending');
  });

  it('when the cohort has ended, then the page says it takes no new mentors and an invitation is refused at the field', async () => {
    const ended = await seedCohort(course, { startDate: '2024-01-01', endDate: '2024-06-30' });
    const html = decodeHtml((await instructor.get(pageOf(ended)).expect(200)).text);
    expect(html).toContain('it takes no new mentors');
    expect(html).not.toContain('Create invitation link');
    const refused = await postForm(instructor, pageOf(ended), pageOf(ended), {
      name: 'Dr. Late',
      email: 'late@example.org',
    });
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain('This cohort has ended or is archived');
    expect(await MentorInvitationModel.exists({ email: 'late@example.org' })).toBeNull();
  });
});
