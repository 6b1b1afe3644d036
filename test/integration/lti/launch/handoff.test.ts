import request from 'supertest';
import { SessionHandoffModel, handoffLifetimeMs } from '../../../../src/lti/launch/handoff.service';
import { SessionModel } from '../../../../src/shared/auth/session.model';
import {
  decodeHtml,
  postSession as postSessionTo,
  sessionTokenOf,
  setCookies,
  storageLaunch,
  useTestRounds,
} from '../../../support';

// The new-window handoff (finding 6 of the security review): a launch verified through platform storage in a frame
// without cookies hands a one-time code to a window of Rounds' own. Only Rounds' own pages may post it, and the new
// window asks "Continue as …?" before any session starts, so a code posted by another site signs nobody in.

const rounds = useTestRounds();

/** POST /lti/session as the browser sends it from a page of Rounds (Fetch Metadata: same-origin). */
function postSession(fields: Record<string, string>, headers: Record<string, string | undefined> = {}) {
  return postSessionTo(rounds, fields, headers);
}

describe('the new window of a cookie-less frame launch', () => {
  it('when Rounds\' own page posts the code, then the window asks "Continue as Nora Okafor, RN?" (her full name) with the code in a POST form, and starts no session yet', async () => {
    const { code } = await storageLaunch(rounds);
    const sessionsBefore = await SessionModel.countDocuments();
    const confirm = await postSession({ code }).expect(200);
    expect(confirm.text.match(/<h1[ >]/g)).toHaveLength(1);
    expect(confirm.text).toContain('<h1 id="handoff-confirm-title">Continue as Nora Okafor, RN?</h1>');
    expect(confirm.text).toMatch(/<form[^>]*method="post" action="\/lti\/session"/);
    expect(confirm.text).toContain(`<input type="hidden" name="code" value="${code}">`);
    expect(confirm.text).toMatch(/<button[^>]*value="continue">Continue as Nora Okafor, RN<\/button>/);
    expect(confirm.headers['cache-control']).toBe('no-store');
    expect(setCookies(confirm)).not.toMatch(/rounds_session=/);
    expect(await SessionModel.countDocuments()).toBe(sessionsBefore);
  });

  it('when the window asks, then it shows the e-mail, the course and the operator’s name for the LMS, not a name the launch chose', async () => {
    const { code } = await storageLaunch(rounds);
    const nurse = rounds.sandbox!.people.find((person) => person.key === 'nurse')!;
    const page = decodeHtml((await postSession({ code }).expect(200)).text);
    expect(page).toContain(`<dd>${nurse.email}</dd>`);
    expect(page).toContain(`<dd>${rounds.sandbox!.registration.name}</dd>`);
    expect(page).toContain(`<dd>${rounds.sandbox!.course.title}</dd>`);
  });

  it('when the person confirms, then the session starts and lands on home', async () => {
    const { code } = await storageLaunch(rounds);
    await postSession({ code }).expect(200);
    const started = await postSession({ code, decision: 'continue' }).expect(303);
    expect(started.headers.location).toBe('/home');
    const token = sessionTokenOf(started)!;
    const home = await request(rounds.url).get('/home').set('Cookie', `rounds_session=${token}`).expect(200);
    expect(home.text).toContain('Welcome, Nora');
  });

  it('when the person answers "This is not me", then no session starts and the code is used up', async () => {
    const { code } = await storageLaunch(rounds);
    const cancelled = await postSession({ code, decision: 'cancel' }).expect(303);
    expect(setCookies(cancelled)).not.toMatch(/rounds_session=/);
    // POST → 303 → GET, so reloading the answer posts nothing again.
    const page = await request(rounds.url).get(cancelled.headers.location!).expect(200);
    expect(page.text).toContain('Rounds did not sign you in');
    await postSession({ code, decision: 'continue' }).expect(401);
  });

  it('when a used code is posted again, then both steps refuse it with 401 and start no session', async () => {
    const { code } = await storageLaunch(rounds);
    await postSession({ code, decision: 'continue' }).expect(303);
    const again = await postSession({ code });
    expect(again.status).toBe(401);
    expect(again.text).toContain('expired or was used already');
    const confirmAgain = await postSession({ code, decision: 'continue' });
    expect(confirmAgain.status).toBe(401);
    expect(setCookies(confirmAgain)).not.toMatch(/rounds_session=/);
  });

  it("when the code's two minutes have passed, then both steps refuse it with 401", async () => {
    const { code } = await storageLaunch(rounds);
    const [stored] = await SessionHandoffModel.find().sort({ expiresAt: -1 }).limit(1).lean();
    // The code was made just now and lives two minutes.
    expect(stored!.expiresAt.getTime() - Date.now()).toBeGreaterThan(handoffLifetimeMs - 30_000);
    expect(stored!.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(handoffLifetimeMs);
    await SessionHandoffModel.updateOne(
      { _id: stored!._id },
      { $set: { expiresAt: new Date(Date.now() - 1000) } },
    );
    await postSession({ code }).expect(401);
    await postSession({ code, decision: 'continue' }).expect(401);
  });
});

describe('a code posted from somewhere else than Rounds (login CSRF)', () => {
  it.each([
    ['Fetch Metadata says cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Fetch Metadata says same-site (another origin of the site)', { 'Sec-Fetch-Site': 'same-site' }],
    ['Fetch Metadata says none (typed or bookmarked)', { 'Sec-Fetch-Site': 'none' }],
  ])('when %s, then both steps answer 403 and the code still works from Rounds', async (_name, headers) => {
    const { code } = await storageLaunch(rounds);
    const first = await postSession({ code }, headers);
    expect(first.status).toBe(403);
    expect(first.text).not.toContain('Continue as');
    const confirm = await postSession({ code, decision: 'continue' }, headers);
    expect(confirm.status).toBe(403);
    expect(setCookies(confirm)).not.toMatch(/rounds_session=/);
    await postSession({ code, decision: 'continue' }).expect(303);
  });

  it.each([
    ['Origin is another site', { Origin: 'https://evil.example' }],
    ['Origin is null', { Origin: 'null' }],
    ['there is no Origin at all', {}],
  ])(
    'when a browser without Fetch Metadata posts and %s, then both steps answer 403',
    async (_name, headers) => {
      const { code } = await storageLaunch(rounds);
      const withoutFetchMetadata = { 'Sec-Fetch-Site': undefined, ...headers };
      expect((await postSession({ code }, withoutFetchMetadata)).status).toBe(403);
      expect((await postSession({ code, decision: 'continue' }, withoutFetchMetadata)).status).toBe(403);
    },
  );

  it("when a browser without Fetch Metadata posts with Rounds' own Origin, then the handoff works", async () => {
    const { code } = await storageLaunch(rounds);
    const origin = { 'Sec-Fetch-Site': undefined, Origin: new URL(rounds.url).origin };
    const post = (fields: Record<string, string>) => postSession(fields, origin);
    expect((await post({ code })).status).toBe(200);
    const started = await post({ code, decision: 'continue' });
    expect(started.status).toBe(303);
    expect(sessionTokenOf(started)).toBeDefined();
  });
});
