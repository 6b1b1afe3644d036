import type { BrowserContext, Frame, Page } from 'playwright-core';
import { useTestRounds } from '../../../support';
import { closeProfile, launchProfile } from '../../../support/browserProfiles';

// Rounds at http://127.0.0.1:PORT, the sandbox LMS at http://localhost:PORT: two sites, as in production, so
// Rounds inside the course page is a third-party iframe. Chromium keeps Secure cookies on loopback over http.
const rounds = useTestRounds({ crossSiteCookies: true, sandboxHost: 'localhost' });
let context: BrowserContext | undefined;

afterEach(async () => {
  if (context) await closeProfile(context);
  context = undefined;
});

/** The course page with the activity embedded as the nurse; returns the page and Rounds' frame. */
async function openEmbedded(page: Page, query = ''): Promise<Frame> {
  await page.goto(`${rounds.url.replace('127.0.0.1', 'localhost')}/sandbox/embed/nurse${query}`);
  const frame = page.frame({ name: 'tool' });
  if (!frame) throw new Error('the course page has no tool frame');
  return frame;
}

/** The new window asks "Continue as Nora Okafor, RN?" before any session starts; confirming it lands on home. */
async function confirmInNewWindow(popup: Page) {
  await popup.getByRole('heading', { level: 1, name: 'Continue as Nora Okafor, RN?' }).waitFor();
  expect(popup.url()).toBe(`${rounds.url}/lti/session`);
  expect(await popup.context().cookies(rounds.url)).not.toContainEqual(
    expect.objectContaining({ name: '__Host-rounds_session' }),
  );
  await popup.getByRole('button', { name: 'Continue as Nora Okafor, RN' }).press('Enter');
  await popup.waitForURL(`${rounds.url}/home`);
}

/** In Rounds' frame: home greets Nora, a link navigates, and the sign-out form posts with the session. */
async function expectWorkingSession(frame: Frame, whileSignedIn: () => Promise<void> = async () => {}) {
  await frame.waitForURL(`${rounds.url}/home`);
  expect(await frame.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, Nora');
  await whileSignedIn();
  await frame.getByRole('link', { name: 'Rounds', exact: true }).press('Enter');
  await frame.waitForURL(`${rounds.url}/home`);
  expect(await frame.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, Nora');
  await frame.getByRole('button', { name: 'Sign out' }).press('Enter');
  await frame.waitForURL(`${rounds.url}/signed-out`);
  expect(await frame.getByRole('heading', { level: 1 }).textContent()).toBe('You have signed out of Rounds');
}

describe('Rounds inside an iframe of the sandbox course page, in Chromium', () => {
  it('when third-party cookies are allowed, then the launch completes in the frame and the session carries navigation and a form', async () => {
    context = await launchProfile('allowed');
    const frame = await openEmbedded(await context.newPage());
    await expectWorkingSession(frame);
  });

  it('when third-party cookies are blocked, then Partitioned cookies still complete the launch in the frame', async () => {
    context = await launchProfile('thirdPartyBlocked');
    const frame = await openEmbedded(await context.newPage());
    await expectWorkingSession(frame, async () => {
      // The session cookie exists only in the LMS's partition: no unpartitioned cookie could be set.
      const roundsCookies = await context!.cookies(rounds.url);
      // Secure (cross-site cookies), so its name carries the __Host- prefix, which Chromium enforces.
      expect(roundsCookies.map((cookie) => cookie.name)).toContain('__Host-rounds_session');
      for (const cookie of roundsCookies) expect(cookie.partitionKey).toBe('http://localhost');
    });
  });

  it('when the browser keeps no cookie of Rounds in the frame, then "Continue in a new window" completes the launch there', async () => {
    context = await launchProfile('allBlockedInFrame');
    const page = await context.newPage();
    const frame = await openEmbedded(page);
    // The cookie check saw its cookie vanish: the in-frame path cannot work here, and Rounds says so.
    await frame.getByRole('heading', { name: 'Open Rounds in a new window' }).waitFor();
    expect(frame.url()).toMatch(new RegExp(`^${rounds.url}/lti/login/continue`));

    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('button', { name: 'Continue in a new window' }).press('Enter'),
    ]);
    expect(await frame.getByRole('status').textContent()).toContain('opened in a new window');
    await popup.waitForURL(`${rounds.url}/home`);
    expect(await popup.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, Nora');
    await popup.getByRole('button', { name: 'Sign out' }).press('Enter');
    await popup.waitForURL(`${rounds.url}/signed-out`);
  });

  it('when the frame keeps no cookie but the LMS offers platform storage, then the launch is verified in the frame and the session continues in a new window', async () => {
    context = await launchProfile('allBlockedInFrame');
    const frame = await openEmbedded(await context.newPage(), '?storage=1');
    // The login left its secret in the course page's storage and came back with it: no second login needed.
    await frame.getByRole('heading', { name: 'Rounds is ready' }).waitFor();
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('button', { name: 'Continue in a new window' }).press('Enter'),
    ]);
    await confirmInNewWindow(popup);
    expect(await popup.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, Nora');
    // The session is Rounds' own in its window: signing out there works (Fetch Metadata and CSRF token).
    await popup.getByRole('button', { name: 'Sign out' }).press('Enter');
    await popup.waitForURL(`${rounds.url}/signed-out`);
  });
});
