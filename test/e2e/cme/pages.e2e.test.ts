import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { SandboxPerson } from '../../../src/sandbox/sandbox';
import { EvaluationResponseModel } from '../../../src/cme/requirements/evaluation.model';
import { PostTestAttemptModel } from '../../../src/cme/requirements/postTest.model';
import { expectAccessiblePage, screenshots, useChromium } from '../../support/browser';
import { sandboxLaunchPath } from '../../support/launch';
import { sandboxCourseIn } from '../../support/outbox';
import { useTestRounds } from '../../support/rounds';
import { seedActivity, seedCompletions, seedLedgerEntry, seedPhysicianProfile, useChicago } from './cme.seed';

// Every CME page a learner, a member of the public and a CME admin sees (issue 13, "Done when"): axe-core (WCAG
// 2.0–2.2 A/AA: no violation at all, stricter than "no serious or critical") at 1280 px, then the same page at
// 320 px without sideways scrolling. Pictures of both widths go to test-results/cme/. Data is seeded through the
// models.

const rounds = useTestRounds();
const browser = useChromium();
const pictures = path.join(screenshots, 'cme');
const contexts = new Map<SandboxPerson['key'], BrowserContext>();
/** Paths of the seeded records, filled in beforeAll. */
const at: Record<string, string> = {};

async function signedInContext(person: SandboxPerson['key']): Promise<BrowserContext> {
  const started = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
  const page = await started.newPage();
  await page.goto(`${rounds.url}${sandboxLaunchPath(person)}`);
  await page.waitForURL(`${rounds.url}/home`);
  await page.close();
  return started;
}

beforeAll(async () => {
  mkdirSync(pictures, { recursive: true });
  for (const person of ['physician', 'nurse', 'cmeAdmin'] as const) {
    contexts.set(person, await signedInContext(person));
  }
  contexts.set(
    'pharmacist',
    await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } }),
  );
  const course = await sandboxCourseIn(rounds);
  await useChicago(course);
  const [physician, nurse] = (await Promise.all(['4', '3'].map((sub) => course.userId(sub)))) as [
    string,
    string,
  ];

  // The physician has met every requirement of the resilience activity (modules, post-test, evaluation).
  const resilience = await seedActivity(course, 'e2e-resilience', 'Resilience on the Ward', {
    postTest: true,
  });
  await seedActivity(course, 'e2e-grand-rounds', 'Grand Rounds: Moral Distress', {
    status: 'draft',
    format: 'live',
  });
  await seedCompletions(course, physician);
  await seedPhysicianProfile(course, physician);
  const learner = {
    tenantId: resilience.tenantId,
    userId: physician,
    activityKey: resilience.key,
    activityVersion: 1,
  };
  await PostTestAttemptModel.create({
    ...learner,
    attempt: 1,
    answers: [1, 1],
    score: 100,
    passPercent: 80,
    passed: true,
    submittedAt: new Date(),
  });
  await EvaluationResponseModel.create({
    ...learner,
    answers: [
      { question: 'The activity met its stated objectives.', kind: 'scale', answer: '5' },
      {
        question: 'What will you change in your practice?',
        kind: 'text',
        answer: 'Check in with my team after a code.',
      },
    ],
    submittedAt: new Date(),
  });

  // An earlier activity the physician claimed: a claim revoked and reissued, and one that stands.
  const sleep = await seedActivity(course, 'e2e-sleep', 'Sleep, Shifts and Safety');
  const entry = {
    userId: physician,
    activity: sleep,
    learnerName: 'Dr. Priya Raman',
    profession: 'physician-md',
  };
  const revoked = await seedLedgerEntry(course, {
    ...entry,
    creditType: 'ama-pra-1',
    amount: 2,
    completionDate: '2026-03-31',
  });
  await seedLedgerEntry(course, {
    ...entry,
    kind: 'revocation',
    creditType: 'ama-pra-1',
    amount: 2,
    completionDate: '2026-03-31',
    revokesEntryId: revoked._id,
    reason: 'Claimed the maximum by mistake; she attended half.',
  });
  const reissued = await seedLedgerEntry(course, {
    ...entry,
    kind: 'reissue',
    creditType: 'ama-pra-1',
    amount: 1.25,
    completionDate: '2026-03-31',
    reissueOfEntryId: revoked._id,
    reason: 'Reissued at the time she attended.',
  });
  const nurseClaim = await seedLedgerEntry(course, {
    userId: nurse,
    activity: sleep,
    learnerName: 'Nora Okafor, RN',
    profession: 'nurse',
    creditType: 'ancc',
    amount: 1.5,
    completionDate: '2026-04-02',
  });
  void nurseClaim;
  at.revokedEntry = `/cme/admin/claims/${String(revoked._id)}`;
  at.verifyGenuine = `/verify/${reissued.number}`;
  at.verifyRevoked = `/verify/${revoked.number}`;
});

afterAll(async () => {
  for (const context of contexts.values()) await context.close();
});

/** Then: accessible at 1280 px (axe, one h1), and at 320 px nothing scrolls sideways; pictures at both widths. */
async function expectGoodPage(page: Page, name: string): Promise<void> {
  await expectAccessiblePage(page, path.join('cme', `${name}-1280`));
  await page.setViewportSize({ width: 320, height: 900 });
  await page.screenshot({ path: path.join(pictures, `${name}-320.png`), fullPage: true });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function open(person: SandboxPerson['key'], address: string, status = 200): Promise<Page> {
  const page = await contexts.get(person)!.newPage();
  const response = await page.goto(`${rounds.url}${address}`);
  expect([address, response?.status()]).toEqual([address, status]);
  return page;
}

/**
 * [picture name, who (the pharmacist's context has no session: a member of the public), where, heading, status
 * (200 unless given: a refused form answers 400)].
 */
const pages: Array<[string, SandboxPerson['key'], () => string, RegExp, number?]> = [
  // Learners (the physician has met everything; the nurse has met nothing).
  ['home-physician', 'physician', () => '/cme', /CME/],
  ['transcript-physician', 'physician', () => '/cme/transcript', /ranscript/],
  ['profile-physician', 'physician', () => '/cme/profile', /rofile/],
  [
    'profile-nurse-first-time',
    'nurse',
    () => '/cme/profile?next=%2Fcme%2Factivities%2Fe2e-resilience',
    /rofile/,
  ],
  ['claim-physician-met', 'physician', () => '/cme/activities/e2e-resilience', /Resilience on the Ward/],
  ['claim-nurse-unmet', 'nurse', () => '/cme/activities/e2e-resilience', /Resilience on the Ward/],
  ['claim-physician-claimed', 'physician', () => '/cme/activities/e2e-sleep', /Sleep, Shifts and Safety/],
  ['post-test-nurse', 'nurse', () => '/cme/activities/e2e-resilience/post-test', /./],
  ['evaluation-nurse', 'nurse', () => '/cme/activities/e2e-resilience/evaluation', /./],
  [
    'course-credit-landing-physician',
    'physician',
    () => '/targets/cme-claim/e2e-resilience',
    /Resilience on the Ward/,
  ],
  // The public verification pages.
  ['verify-form', 'pharmacist', () => '/verify', /erif/],
  ['verify-genuine', 'pharmacist', () => at.verifyGenuine!, /./],
  ['verify-revoked', 'pharmacist', () => at.verifyRevoked!, /./],
  ['verify-typo', 'pharmacist', () => '/verify/RND-0000-0000-0000-0000-1', /./, 400],
  // CME admins.
  ['admin-home', 'cmeAdmin', () => '/cme/admin', /CME administration/],
  ['admin-report', 'cmeAdmin', () => '/cme/admin/report?from=2026-01-01&to=2026-12-31', /CME credit report/],
  ['admin-report-error', 'cmeAdmin', () => '/cme/admin/report?from=2026-02-30', /CME credit report/, 400],
  ['admin-activities', 'cmeAdmin', () => '/cme/admin/activities', /./],
  ['admin-activity-new', 'cmeAdmin', () => '/cme/admin/activities/new', /./],
  [
    'admin-activity-published',
    'cmeAdmin',
    () => '/cme/admin/activities/e2e-resilience',
    /Resilience on the Ward/,
  ],
  ['admin-activity-draft', 'cmeAdmin', () => '/cme/admin/activities/e2e-grand-rounds', /Grand Rounds/],
  ['admin-claims', 'cmeAdmin', () => '/cme/admin/claims', /./],
  ['admin-claims-search', 'cmeAdmin', () => '/cme/admin/claims?q=Raman', /./],
  ['admin-claim-revoked', 'cmeAdmin', () => at.revokedEntry!, /./],
  ['admin-audit', 'cmeAdmin', () => '/cme/admin/audit', /./],
];

it.each(pages)(
  'when the %s page opens, then it passes axe and reflows at 320 px',
  // Rest parameters: jest takes a test function with more parameters than the row has for a `done` callback.
  async (...row) => {
    const [name, person, address, heading, status] = row;
    const page = await open(person, address(), status);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(heading);
    await expectGoodPage(page, name);
    await page.close();
  },
);
