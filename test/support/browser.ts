/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot } from '../../src/config';
import { useStarted } from './lifecycle';
import { useTestRounds, type RoundsOverrides } from './rounds';

/** Debian's Chromium. */
export const chromiumPath = '/usr/bin/chromium';

/** The flags this machine needs: no sandbox as root, no GPU, no background network or first-run work. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium, headless, with the flags this machine needs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: ['--headless', ...chromiumArgs] });
}

/** A Chromium started before the file's tests and closed after them. */
export function useChromium(): Browser {
  return useStarted('browser', launchChromium, (browser) => browser.close());
}

/** A page that can take axe-core (injected inline; Rounds' own pages run no inline script, so CSP is bypassed). */
export async function newTestPage(browser: Browser): Promise<Page> {
  return (await browser.newContext({ bypassCSP: true })).newPage();
}

/**
 * The start of a browser test file: a Rounds and a Chromium for its tests. `open(path)` opens a new page that
 * can take axe (see newTestPage) at `path` of that Rounds.
 */
export function useBrowserTest(overrides: RoundsOverrides = {}) {
  const rounds = useTestRounds(overrides);
  const browser = useChromium();
  const open = async (path: string) => {
    const page = await newTestPage(browser);
    await page.goto(`${rounds.url}${path}`);
    return page;
  };
  return { rounds, browser, open };
}

/** Where screenshots go (kept by CI as the pages' pictures). */
export const screenshots = path.join(projectRoot, 'test-results');

/**
 * Then: the page has one `<h1>` and no axe violation of WCAG 2.0–2.2 A/AA; a full-page screenshot `<name>.png` is
 * kept in test-results/ either way.
 */
export async function expectAccessiblePage(page: Page, name: string): Promise<void> {
  mkdirSync(screenshots, { recursive: true });
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
  expect(await axeViolations(page)).toEqual([]);
}

type AxeResult = { violations: { id: string; nodes: { target: string[] }[] }[] };

/**
 * Runs axe-core in the page against WCAG 2.0–2.2 A/AA and returns each violated rule with its failing nodes.
 * The page must come from a context with `bypassCSP: true`, since axe is injected as an inline script.
 */
export async function axeViolations(page: Page) {
  await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
  const result = await page.evaluate(() => {
    const axe = (
      window as unknown as { axe: { run(context: unknown, options: unknown): Promise<AxeResult> } }
    ).axe;
    return axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
  });
  return result.violations.map((violation) => ({
    id: violation.id,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}
