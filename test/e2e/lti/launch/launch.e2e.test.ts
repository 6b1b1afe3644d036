import { expectAccessiblePage, useBrowserTest } from '../../../support/browser';

const { rounds, open } = useBrowserTest();

describe('a nurse opens Rounds from the sandbox course in Chromium', () => {
  it('when she clicks "Launch as" on the course page, then she lands on the Rounds home page greeted by name', async () => {
    const page = await open('/sandbox');
    await page.getByRole('link', { name: /Launch as Nora Okafor/ }).click();
    await page.waitForURL(`${rounds.url}/home`);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome, Nora');
    expect(await page.textContent('main')).toContain('as a Learner');
    await expectAccessiblePage(page, 'home-nurse');
  });
});
