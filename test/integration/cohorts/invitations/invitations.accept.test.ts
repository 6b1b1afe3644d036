import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { AccountModel } from '../../../../src/accounts/account.model';
import { accountSessionFor } from '../../../../src/accounts/accounts.session';
import {
  CohortMemberModel,
  CohortModel,
  PairModel,
  externalViewerFor,
  listViewerCohorts,
  openCohort,
  type CohortViewer,
} from '../../../../src/cohorts';
import { MentorInvitationModel } from '../../../../src/cohorts/invitations';
import { openInvitation } from '../../../../src/cohorts/invitations/acceptance.service';
import { inviteMentor } from '../../../../src/cohorts/invitations/invitation.service';
import { UserModel } from '../../../../src/tenancy';
import {
  csrfTokenOf,
  decodeHtml,
  postForm,
  sandboxCourseIn,
  seedCohort,
  sessionTokenOf,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import { createTestAccount, signInAccount, signInOverHttp } from '../../../support/accounts';

// The invited mentor's side (issue 12, item 8): a single-use, expiring link; a new account made on the spot, or
// an existing one accepting only when signed in as the invited address; the mentor then reaches that cohort
// alone, as a mentor; revocation and the cohort's end take it away at once.

const rounds = useTestRounds();
const password = 'a long walk along the river Tay';
let instructor: Agent;
let course: SandboxCourse;
let manager: CohortViewer;
let cohortId: string;
let otherCohortId: string;
let foreignCohortId: string;

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  await signedInAs(rounds, 'nurse');
  course = await sandboxCourseIn(rounds);
  manager = {
    tenantId: course.tenantId,
    userId: await course.userId('6'),
    name: 'Elena',
    courseRole: 'instructor',
    courseId: course.courseId,
  };
  cohortId = await seedCohort(course, { name: 'Valley rural mentoring' });
  otherCohortId = await seedCohort(course, { name: 'Another cohort of the course' });
  // A cohort of another tenant (its ids are made up: no launch from there is needed to hold it).
  const foreign = await CohortModel.create({
    tenantId: new mongoose.Types.ObjectId(),
    courseId: new mongoose.Types.ObjectId(),
    name: 'Somewhere else',
    kind: 'mentoring',
    timeZone: 'UTC',
    startDate: '2026-01-01',
    endDate: '2099-12-31',
  });
  foreignCohortId = String(foreign._id);
});

let invited = 0;
/** A fresh address and its invitation to `cohort` (through the service, as the manager's form does). */
async function invite(cohort = cohortId, name = 'Dr. Ana Rivera') {
  const email = `mentor-${++invited}-${Date.now()}@valley-clinic.example`;
  const { token, invitationId } = await inviteMentor(manager, cohort, { name, email }, { days: 7 });
  return { email, token, invitationId, path: `/invitations/${token}` };
}

/** Opens the link in `agent` (a new browser by default) and posts its form with `fields`. */
async function postInvitation(
  path: string,
  fields: Record<string, string>,
  agent = request.agent(rounds.url),
) {
  const page = await agent.get(path).expect(200);
  // A page without a form (sign in first) still gets a genuine token: the sign-in form's, bound to this browser.
  const csrf = page.text.includes('name="_csrf"')
    ? csrfTokenOf(page.text)
    : csrfTokenOf((await agent.get('/signin').expect(200)).text);
  const answer = await agent
    .post(path)
    .type('form')
    .set('Accept', 'text/html')
    .send({ _csrf: csrf, ...fields });
  return { agent, page, answer };
}

/** The cohort viewer an account's session stands for now (what requireCohortViewer computes per request). */
async function viewerOfAccount(accountId: string) {
  const session = await accountSessionFor({ accountId, mfaVerified: false, createdAt: new Date() });
  return externalViewerFor(session!.account);
}

/** A new-account acceptance that must succeed; returns the signed-in browser and the account's id. */
async function acceptAsNewMentor(path: string, email: string, name = 'Dr. Ana María Rivera') {
  const { agent, answer } = await postInvitation(path, { name, password, confirmation: password });
  if (answer.status !== 303) throw new Error(`acceptance answered ${answer.status}:\n${answer.text}`);
  const account = await AccountModel.findOne({ email }).lean();
  return { agent, answer, accountId: String(account!._id) };
}

describe('accepting with a new account', () => {
  it('when the invited person opens the link, then they read who invites them to which cohort, of which course and LMS, until when', async () => {
    const { path, email } = await invite();
    const page = await request(rounds.url).get(path).expect(200);
    expect(page.headers['cache-control']).toBe('no-store');
    const html = decodeHtml(page.text);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('Dr. Elena García invites you to mentor in the cohort');
    expect(html).toContain('Valley rural mentoring');
    expect(html).toContain('Clinician Well-being & CME (Sandbox)');
    expect(html).toContain('Rounds Sandbox LMS');
    expect(html).toContain(email);
    expect(html).toContain('(America/Chicago)');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('Create account and accept');
  });

  it('when the password is too short, then 400 with the message at the field, the name kept, and nothing spent or made', async () => {
    const { path, email } = await invite();
    const { answer } = await postInvitation(path, {
      name: 'Dr. Ana María Rivera',
      password: 'short one',
      confirmation: 'short one',
    });
    expect(answer.status).toBe(400);
    const html = decodeHtml(answer.text);
    expect(html).toContain('<a href="#password">Use at least 15 characters.</a>');
    expect(html).toContain('id="password-error"');
    expect(html).toContain('value="Dr. Ana María Rivera"');
    expect(await AccountModel.exists({ email })).toBeNull();
    expect((await MentorInvitationModel.findOne({ email }).lean())!.state).toBe('pending');

    const mismatch = await postInvitation(path, { name: 'Ana', password, confirmation: `${password}!` });
    expect(mismatch.answer.status).toBe(400);
    expect(decodeHtml(mismatch.answer.text)).toContain(
      '<a href="#confirmation">The two passwords are not the same.</a>',
    );
  });

  it('when they choose a good password, then they are signed in on /cohorts as a mentor of that cohort only, nowhere else', async () => {
    const { path, email } = await invite();
    const { agent, answer, accountId } = await acceptAsNewMentor(path, email);
    expect(answer.headers.location).toBe('/cohorts');
    expect(sessionTokenOf(answer)).toBeDefined();

    const account = await AccountModel.findById(accountId).lean();
    expect(account!.grants.map((grant) => [grant.role, String(grant.tenantId), grant.cohortId])).toEqual([
      ['mentor', course.tenantId, cohortId],
    ]);
    const user = await UserModel.findOne({
      tenantId: course.tenantId,
      subject: `account:${accountId}`,
    }).lean();
    expect(user!.name).toBe('Dr. Ana María Rivera');
    const membership = await CohortMemberModel.findOne({ cohortId, userId: user!._id }).lean();
    expect(membership).toMatchObject({ role: 'mentor', active: true, source: 'invitation' });
    expect(await MentorInvitationModel.findOne({ email }).lean()).toMatchObject({ state: 'accepted' });

    const viewer = await viewerOfAccount(accountId);
    expect(viewer).toMatchObject({ tenantId: course.tenantId, grantedCohortIds: [cohortId] });
    expect((await listViewerCohorts(viewer!)).map((entry) => String(entry.cohort._id))).toEqual([cohortId]);
    expect(await openCohort(viewer!, cohortId)).toMatchObject({ role: 'mentor', manages: false });
    await expect(openCohort(viewer!, otherCohortId)).rejects.toMatchObject({ status: 403 });
    await expect(openCohort(viewer!, foreignCohortId)).rejects.toMatchObject({ status: 404 });

    // Over HTTP, in their own browser: their cohort opens to them as a mentor (its managers' page stays shut),
    // another cohort of the same course is 403, another tenant's 404, and no LMS or admin page lets them in.
    const own = await agent.get(`/cohorts/${cohortId}/invitations`).set('Accept', 'text/html');
    expect(own.status).toBe(403);
    expect(decodeHtml(own.text)).toContain('Only instructors of this course and administrators');
    const other = await agent.get(`/cohorts/${otherCohortId}/invitations`).set('Accept', 'text/html');
    expect(other.status).toBe(403);
    expect(decodeHtml(other.text)).toContain('You are not part of this cohort.');
    await agent.get(`/cohorts/${foreignCohortId}/invitations`).set('Accept', 'text/html').expect(404);
    for (const page of ['/home', '/profile', '/admin/wellbeing', '/admin/platforms', '/operator/tenants']) {
      const answer = await agent.get(page).set('Accept', 'text/html');
      expect([page, [401, 403].includes(answer.status)]).toEqual([page, true]);
    }
    await agent.get('/account').expect(200);
  });

  it('when the same link is opened or posted again, then 410 "already accepted" and no second account or member', async () => {
    const { path, email } = await invite();
    await acceptAsNewMentor(path, email);
    const again = await request(rounds.url).get(path).set('Accept', 'text/html');
    expect(again.status).toBe(410);
    expect(decodeHtml(again.text)).toContain('This invitation was already accepted.');
    const members = await CohortMemberModel.countDocuments({ cohortId, source: 'invitation' });
    const replay = await request(rounds.url)
      .post(path)
      .type('form')
      .set('Accept', 'text/html')
      .send({ name: 'Someone', password, confirmation: password });
    expect([403, 410]).toContain(replay.status);
    expect(await CohortMemberModel.countDocuments({ cohortId, source: 'invitation' })).toBe(members);
  });

  it('when two browsers post the same link at once, then exactly one account is made', async () => {
    const { path, email } = await invite();
    const pages = await Promise.all(
      [0, 1].map(async () => {
        const agent = request.agent(rounds.url);
        const page = await agent.get(path).expect(200);
        return { agent, csrf: csrfTokenOf(page.text) };
      }),
    );
    const answers = await Promise.all(
      pages.map(({ agent, csrf }) =>
        agent
          .post(path)
          .type('form')
          .set('Accept', 'text/html')
          .send({ _csrf: csrf, name: 'Dr. Twice', password, confirmation: password }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses[0]).toBe(303);
    // The loser is told the link was spent (410) or, when the winner's account already exists by the time it is
    // routed, to sign in as that account (403): which one depends on the interleaving, never a second account.
    expect([403, 410]).toContain(statuses[1]);
    expect(await AccountModel.countDocuments({ email })).toBe(1);
  });
});

describe('links that no longer work', () => {
  it('when the link is past its 7 days, then 410 "expired", and posting it makes no account', async () => {
    const { path, email, token } = await invite();
    await expect(
      openInvitation(token, { signedIn: false }, new Date(Date.now() + 7 * 86_400_000 + 60_000)),
    ).rejects.toMatchObject({ status: 410 });
    await expect(
      openInvitation(token, { signedIn: false }, new Date(Date.now() + 6 * 86_400_000)),
    ).resolves.toMatchObject({ email });

    await MentorInvitationModel.updateOne({ email }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const page = await request(rounds.url).get(path).set('Accept', 'text/html');
    expect(page.status).toBe(410);
    expect(decodeHtml(page.text)).toContain(
      'This invitation has expired. Ask Dr. Elena García for a new link.',
    );
    const posted = await request(rounds.url)
      .post(path)
      .type('form')
      .set('Accept', 'text/html')
      .send({ name: 'Late', password, confirmation: password });
    expect([403, 410]).toContain(posted.status);
    expect(await AccountModel.exists({ email })).toBeNull();
  });

  it('when a link is unknown or malformed, then 404 with a clear page', async () => {
    const unknown = await request(rounds.url)
      .get(`/invitations/${randomBytes(32).toString('base64url')}`)
      .set('Accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(decodeHtml(unknown.text)).toContain('This invitation link is not valid.');
    await request(rounds.url).get('/invitations/abc').set('Accept', 'text/html').expect(404);
  });

  it('when the cohort has ended or was archived, then its link answers 410 and makes no account', async () => {
    const ending = await seedCohort(course, { name: 'Ending soon' });
    const { path, email } = await invite(ending);
    await CohortModel.updateOne({ _id: ending }, { $set: { endDate: '2025-12-31' } });
    const page = await request(rounds.url).get(path).set('Accept', 'text/html');
    expect(page.status).toBe(410);
    expect(decodeHtml(page.text)).toContain('This cohort has ended or closed');
    await CohortModel.updateOne({ _id: ending }, { $set: { endDate: '2099-12-31', archived: true } });
    await request(rounds.url).get(path).set('Accept', 'text/html').expect(410);
    expect(await AccountModel.exists({ email })).toBeNull();
  });
});

describe('accepting with an existing account', () => {
  it('when the invited address has an account, then only that account, signed in, may accept', async () => {
    const { path, email, invitationId } = await invite(cohortId, 'Dr. Ben Okafor');
    const existing = await createTestAccount(rounds, { email, name: 'Dr. Ben Okafor' });

    // Not signed in: told to sign in first; no password form; a forged post is refused.
    const anonymous = await postInvitation(path, { name: 'x', password, confirmation: password });
    expect(decodeHtml(anonymous.page.text)).toContain(`Sign in as ${email}`);
    expect(anonymous.page.text).not.toContain('id="password"');
    expect(anonymous.answer.status).toBe(403);

    // Signed in as someone else (another account, or from the LMS): refused too.
    const stranger = await signInAccount(rounds);
    const asStranger = await postInvitation(path, { accept: 'yes' }, stranger.agent);
    expect(decodeHtml(asStranger.page.text)).toContain('This browser is\n    signed in as someone else.');
    expect(asStranger.answer.status).toBe(403);
    const learner = (await signedInAs(rounds, 'nurse')).agent;
    expect((await postInvitation(path, { accept: 'yes' }, learner)).answer.status).toBe(403);
    expect((await MentorInvitationModel.findById(invitationId).lean())!.state).toBe('pending');
    expect((await AccountModel.findById(stranger.accountId).lean())!.grants).toHaveLength(1);

    // Signed in as the invited address: one button.
    const agent = request.agent(rounds.url);
    await signInOverHttp(agent, existing);
    const accepted = await postInvitation(path, { accept: 'yes' }, agent);
    expect(decodeHtml(accepted.page.text)).toContain('Accept and open the cohort');
    expect(accepted.answer.status).toBe(303);
    expect(accepted.answer.headers.location).toBe('/cohorts');
    const viewer = await viewerOfAccount(existing.accountId);
    expect(viewer!.grantedCohortIds).toEqual([cohortId]);
    expect(await openCohort(viewer!, cohortId)).toMatchObject({ role: 'mentor' });
  });

  it('when the invited address is a CME admin’s account without its second factor checked, then it may not accept until it is', async () => {
    const { path, email, invitationId } = await invite();
    const scope = { role: 'cme-admin' as const, tenantId: course.tenantId };
    const halfway = await createTestAccount(rounds, { email, roles: [scope] });
    const agent = request.agent(rounds.url);
    await signInOverHttp(agent, halfway);
    expect((await postInvitation(path, { accept: 'yes' }, agent)).answer.status).toBe(403);
    expect((await MentorInvitationModel.findById(invitationId).lean())!.state).toBe('pending');
  });

  it('when an invited mentor signs in later, then they land on /cohorts', async () => {
    const { path, email } = await invite();
    await acceptAsNewMentor(path, email);
    const agent = request.agent(rounds.url);
    const signin = await agent.get('/signin').expect(200);
    const answer = await agent
      .post('/signin')
      .type('form')
      .send({ _csrf: csrfTokenOf(signin.text), email, password })
      .expect(303);
    expect(answer.headers.location).toBe('/cohorts');
  });
});

describe('access ends', () => {
  it('when the manager revokes an accepted invitation, then the mentor loses the cohort at once, and their pairs end', async () => {
    const { path, email, invitationId } = await invite();
    const { agent, accountId } = await acceptAsNewMentor(path, email);
    const mentorUser = await UserModel.findOne({ subject: `account:${accountId}` }).lean();
    const menteeId = await course.userId('3');
    await PairModel.create({
      tenantId: course.tenantId,
      cohortId,
      mentorId: mentorUser!._id,
      menteeId,
      confirmedBy: manager.userId,
      confirmedAt: new Date(),
    });
    expect((await agent.get(`/cohorts/${cohortId}/invitations`).set('Accept', 'text/html')).status).toBe(403);

    const page = `/cohorts/${cohortId}/invitations`;
    const revoked = await postForm(instructor, page, `${page}/${invitationId}/revoke`);
    expect(revoked.status).toBe(303);

    // The same browser, its session untouched: the cohort is gone from it on the very next request.
    const after = await agent.get(page).set('Accept', 'text/html');
    expect(after.status).toBe(403);
    expect(after.text).toContain('Open Rounds from your course instead');
    expect(await viewerOfAccount(accountId)).toBeUndefined();
    expect((await AccountModel.findById(accountId).lean())!.grants).toEqual([]);
    const membership = await CohortMemberModel.findOne({ cohortId, userId: mentorUser!._id }).lean();
    expect(membership).toMatchObject({ active: false, removedByHand: true });
    expect(membership!.leftAt).toBeInstanceOf(Date);
    expect(await PairModel.findOne({ cohortId, mentorId: mentorUser!._id }).lean()).toMatchObject({
      active: false,
    });
    const list = decodeHtml((await instructor.get(page).expect(200)).text);
    expect(list).toMatch(/Dr\. Ana Rivera[\s\S]*?Revoked/);
    await agent.get('/account').expect(200);
  });

  it('when the cohort’s end date has passed in its zone, then the invited mentor no longer reaches it', async () => {
    const ending = await seedCohort(course, { name: 'Short cohort', timeZone: 'Pacific/Auckland' });
    const { path, email } = await invite(ending);
    const { accountId } = await acceptAsNewMentor(path, email);
    expect((await viewerOfAccount(accountId))!.grantedCohortIds).toEqual([ending]);
    await CohortModel.updateOne({ _id: ending }, { $set: { endDate: '2026-01-31' } });
    expect(await viewerOfAccount(accountId)).toBeUndefined();
  });
});
