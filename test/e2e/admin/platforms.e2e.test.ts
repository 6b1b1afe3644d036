import { expectAccessiblePage, useBrowserTest } from '../../support/browser';

// What an administrator clicks: his LMS platform's page.
// In Chromium, with axe (WCAG 2.2 AA) and a screenshot of each Rounds page.

const { rounds, open } = useBrowserTest();

describe('an administrator manages LMS platforms', () => {
  it('when he opens his platform page and adds an empty deployment ID, then the error is listed and linked to its field', async () => {
    const page = await open('/sandbox');
    await page.getByRole('link', { name: /^Launch as Sam Whitfield/ }).click();
    await page.waitForURL(`${rounds.url}/home`);
    await page.getByRole('link', { name: 'Your LMS platform' }).click();
    await page.waitForURL(`${rounds.url}/admin/platforms`);
    expect(await page.getByRole('heading', { level: 2 }).first().textContent()).toContain(
      'Rounds Sandbox LMS',
    );
    await expectAccessiblePage(page, 'admin-platforms');

    await page.getByRole('button', { name: 'Add deployment' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('link', { name: 'Enter the deployment ID.' }).click();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('deployment-id');
    await expectAccessiblePage(page, 'admin-platforms-errors');
  });
});
