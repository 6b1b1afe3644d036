import { mkdirSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import type { BrowserContext, Page } from 'playwright-core';
import { createHandoff } from '../../../src/lti/launch/handoff.service';
import type { Rounds } from '../../../src/runtime';
import type { SandboxPerson } from '../../../src/sandbox/sandbox';
import { screenshots, useChromium } from '../../support/browser';
import { sandboxLaunchPath } from '../../support/launch';
import { startTestRounds } from '../../support/rounds';
import { measureReflow } from './measureReflow';

// WCAG 2.2 SC 1.4.10 Reflow: at 320 CSS px wide (1280 px at 400% zoom) every page of Rounds, and of the sandbox
// LMS around it, reads without scrolling sideways. Each page is reached the way a person reaches it, recognised
// by its h1, measured at 320 px (with any Rounds frame in it), and kept as screenshots at 320 and 1280 px in
// test-results/reflow/.

type Person = SandboxPerson['key'];

// Not useTestRounds(): its stand-in binds functions, and `rounds.app` is one whose `bind` is express' BIND route.
let rounds: Rounds;
const browser = useChromium();
const narrow = { width: 320, height: 800 };
const pictures = path.join(screenshots, 'reflow');

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  rounds = await startTestRounds();
});
afterAll(() => rounds?.close());

/** One browser profile per sandbox person, signed in to Rounds by a launch from the sandbox course. */
const signedInContexts = new Map<Person, Promise<BrowserContext>>();

function signedIn(person: Person): Promise<BrowserContext> {
  const context =
    signedInContexts.get(person) ??
    (async () => {
      const started = await browser.newContext({ viewport: narrow });
      const page = await started.newPage();
      await page.goto(`${rounds.url}${sandboxLaunchPath(person)}`);
      await page.waitForURL(`${rounds.url}/home`);
      await page.close();
      return started;
    })();
  signedInContexts.set(person, context);
  return context;
}

/**
 * A view as Rounds renders it, shown at an address of Rounds (so its stylesheet loads): for pages whose real way
 * in needs an LMS the sandbox cannot play (a re-registration, a frame that keeps no cookie).
 */
async function showRendered(page: Page, view: string, locals: object): Promise<void> {
  const html = await new Promise<string>((resolve, reject) =>
    rounds.app.render(view, locals, (error, out) => (error ? reject(error) : resolve(out))),
  );
  const url = `${rounds.url}/rendered-for-test/${view}`;
  await page.route(url, (route) => route.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(url);
}

/** The sandbox's LTI tools page → "Register a tool by URL": Rounds' answer shows in the sandbox's frame. */
async function registerInSandbox(page: Page): Promise<void> {
  await page.goto(`${rounds.url}/sandbox/tools`);
  await page.getByRole('button', { name: 'Register a tool by URL' }).click();
  await page.frameLocator('iframe[data-tool-origin]').getByRole('heading', { level: 1 }).waitFor();
}

/** Rounds' registration answer on a page of its own: the sandbox's frame is held back, its token unused. */
async function registrationAlone(page: Page): Promise<void> {
  await page.route('**/lti/register?**', (route) => route.abort());
  await page.goto(`${rounds.url}/sandbox/tools`);
  await page.getByRole('button', { name: 'Register a tool by URL' }).click();
  const src = await page.locator('iframe[data-tool-origin]').getAttribute('src');
  await page.unroute('**/lti/register?**');
  await page.goto(src!);
}

/** The new window of a frame launch without cookies: "Continue as …?" for a handoff code of the nurse's. */
async function openHandoff(page: Page): Promise<void> {
  const id = () => new mongoose.Types.ObjectId().toHexString();
  const actor = { tenantId: id(), userId: id(), courseId: id(), role: 'learner' as const, name: 'Nora' };
  const code = await createHandoff({ ...actor, courseTitle: 'Clinician Well-being' }, '/home', {
    fullName: 'Nora Okafor, RN',
    email: 'nora.okafor@example.org',
    lmsName: 'St. Luke’s Moodle',
  });
  // Posted from a page of Rounds, as the frame's "Continue in a new window" form is.
  await page.goto(`${rounds.url}/about`);
  await page.evaluate((value) => {
    const form = Object.assign(document.createElement('form'), { method: 'post', action: '/lti/session' });
    form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'code', value }));
    document.body.append(form);
    form.submit();
  }, code);
  await page.waitForURL(`${rounds.url}/lti/session`);
}

interface Visit {
  name: string;
  /** The page's h1: the page reached is the one meant (not an error page in its place). */
  heading: string;
  /** Whose signed-in browser opens it; a browser without a session otherwise. */
  as?: Person;
  path?: string;
  /** What the person does after opening `path` (or instead). */
  then?: (page: Page) => Promise<unknown>;
  /** Text the page shows besides its h1. */
  shows?: string;
}

const deepLinking = sandboxLaunchPath('mentor', { deepLinking: true });
const toPicker = (page: Page) => page.waitForURL(/\/lti\/deeplink\/[0-9a-f]{24}$/);

/** Pages opened by their address: name, whose browser (null: one without a session), path, h1, text shown. */
const addresses: [string, Person | null, string, string, string?][] = [
  ["the learner's home page", 'nurse', '/home', 'Welcome, Nora', 'as a Learner'],
  ["the instructor's home page", 'mentor', '/home', 'Welcome, Elena', 'as an Instructor'],
  ["the administrator's home page", 'cmeAdmin', '/home', 'Welcome, Sam', 'as an Administrator'],
  ["an administrator's LMS platform page", 'cmeAdmin', '/admin/platforms', 'Your LMS platform'],
  ["a placed activity's page", 'nurse', '/targets/reflection/cohort-reflection', 'Reflection assignment'],
  ['the page for a visit without a session (401)', null, '/home', 'Please open Rounds from your course'],
  ['a page a learner may not open (403)', 'nurse', '/admin/platforms', 'You do not have access to this page'],
  ['a page that does not exist (404)', null, '/no-such-page', 'Page not found'],
  ['a refused login (400)', null, '/lti/login', 'Please check what you sent'],
  ['the signed-out page', null, '/signed-out', 'You have signed out of Rounds'],
  ['the about page', null, '/about', 'About Rounds'],
  ['the sandbox course page', null, '/sandbox', 'Clinician Well-being & CME (Sandbox)'],
  ["the sandbox's LTI tools page", null, '/sandbox/tools', 'LTI tools'],
];

/** Pages reached by doing something. */
const flows: Visit[] = [
  {
    name: 'the LMS platform page with an error',
    as: 'cmeAdmin',
    path: '/admin/platforms',
    heading: 'Your LMS platform',
    then: async (page) => {
      await page.getByRole('button', { name: 'Add deployment' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'the LMS outbox with a roster sync sent',
    as: 'cmeAdmin',
    path: '/admin/outbox',
    heading: 'LMS outbox',
    shows: 'Roster synced:',
    then: async (page) => {
      await page.getByRole('button', { name: /^Sync roster now/ }).click();
      // The outbox worker sends it within moments; the Sent table then says what the sync did.
      for (let tries = 0; tries < 50 && !(await page.getByText('Roster synced:').count()); tries += 1) {
        await page.waitForTimeout(100);
        await page.reload();
      }
    },
  },
  {
    name: 'the deep-linking picker',
    as: 'mentor',
    path: deepLinking,
    heading: 'Add Rounds activities to your course',
    then: toPicker,
  },
  {
    name: 'the deep-linking picker with an error',
    as: 'mentor',
    path: deepLinking,
    heading: 'Add Rounds activities to your course',
    then: async (page) => {
      await toPicker(page);
      await page.getByRole('button', { name: 'Add to course' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'the "Rounds is ready" page of a frame that keeps no cookie',
    heading: 'Rounds is ready',
    then: (page) => showRendered(page, 'lti/handoff', { title: 'Rounds is ready', code: 'one-time-code' }),
  },
  {
    name: 'the new window\'s "Continue as …?" page',
    heading: 'Continue as Nora Okafor, RN?',
    then: openHandoff,
  },
  {
    name: 'the page after "This is not me"',
    heading: 'Rounds did not sign you in',
    then: async (page) => {
      await openHandoff(page);
      await page.getByRole('button', { name: 'This is not me' }).click();
      // A page of its own (POST → 303 → GET): reloading it posts nothing again.
      await page.waitForURL(`${rounds.url}/lti/session/cancelled`);
    },
  },
  {
    name: 'the registration result of a new registration',
    heading: 'Rounds is registered with your LMS, waiting for activation',
    then: registrationAlone,
  },
  {
    name: "the registration result in the sandbox's frame",
    heading: 'Registering a tool',
    then: registerInSandbox,
  },
  {
    name: 'the registration result of new settings for a registered LMS',
    heading: 'Your LMS sent new settings for Rounds',
    shows: 'Proposed deployment ID',
    then: (page) =>
      showRendered(page, 'lti/registered', {
        title: 'New settings sent',
        proposedChange: true,
        platformName: 'St Elsewhere Moodle',
        issuer: 'https://moodle.st-elsewhere-hospital.example.org/learning',
        clientId: 'q8ZbW3kLmT2xRv7N',
        deploymentId: 'added-by-update-17',
      }),
  },
  {
    name: 'a launch refused because the LMS is not activated yet (401)',
    heading: 'Rounds is not set up for your LMS yet',
    then: async (page) => {
      await registerInSandbox(page);
      await page.goto(`${rounds.url}/sandbox/tools`);
      await page
        .getByRole('link', { name: /^Launch Rounds \(sandbox-dr-\d+\) as Marcus Lee/ })
        .first()
        .click();
      await page.getByRole('heading', { level: 1, name: 'Rounds is not set up for your LMS yet' }).waitFor();
    },
  },
  {
    name: 'Rounds in the sandbox course page',
    path: '/sandbox/embed/nurse',
    heading: 'Rounds',
    then: (page) =>
      page.frameLocator('iframe[name="tool"]').getByRole('heading', { name: 'Welcome, Nora' }).waitFor(),
  },
];

const visits: Visit[] = [
  ...addresses.map(([name, as, path, heading, shows]) => ({
    name,
    as: as ?? undefined,
    path,
    heading,
    shows,
  })),
  ...flows,
];

describe('every page at 320 CSS px wide (WCAG 1.4.10 Reflow)', () => {
  it.each(visits)('when $name is 320 px wide, then nothing on it needs scrolling sideways', async (visit) => {
    const context = visit.as ? await signedIn(visit.as) : await browser.newContext({ viewport: narrow });
    const page = await context.newPage();
    try {
      if (visit.path) await page.goto(`${rounds.url}${visit.path}`);
      await visit.then?.(page);
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(visit.heading);
      expect(await page.locator('main').textContent()).toContain(visit.shows ?? '');
      const slug = visit.name
        .replace(/[^a-z0-9]+/gi, '-')
        .replace(/^-|-$/g, '')
        .toLowerCase();
      await page.screenshot({ path: path.join(pictures, `${slug}-320.png`), fullPage: true });

      const documents = await Promise.all(
        [page.mainFrame(), ...page.mainFrame().childFrames()].map(async (frame) => ({
          url: frame.url(),
          ...(await frame.evaluate(measureReflow)),
        })),
      );
      expect(documents[0]!.viewport).toBe(narrow.width);
      const fits = documents.map(({ url }) => ({ url, overflow: 0, wider: [], squeezed: [] }));
      expect(documents.map(({ viewport: _viewport, ...measured }) => measured)).toEqual(fits);

      await page.setViewportSize({ width: 1280, height: 800 });
      await page.screenshot({ path: path.join(pictures, `${slug}-1280.png`), fullPage: true });
    } finally {
      await page.close();
      if (!visit.as) await context.close();
    }
  });
});
