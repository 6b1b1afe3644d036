import { expectAccessiblePage, useBrowserTest } from '../../../support/browser';

// What instructors click: deep linking from the sandbox course.
// In Chromium, with axe (WCAG 2.2 AA) and a screenshot of each Rounds page.

const { rounds, open } = useBrowserTest();

describe('a mentor places Rounds activities in the sandbox course', () => {
  it('when she picks a module and the reflection assignment, then the course lists them and a learner launching the module lands on it', async () => {
    const page = await open('/sandbox');
    await page.getByRole('link', { name: /Add an activity \(deep linking\) as Dr\. Elena García/ }).click();
    await page.waitForURL(/\/lti\/deeplink\/[0-9a-f]{24}$/);
    await expectAccessiblePage(page, 'deeplink-picker');

    await page.getByRole('button', { name: 'Add to course' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('link', { name: 'Choose at least one activity to add.' }).count()).toBe(1);
    await expectAccessiblePage(page, 'deeplink-picker-error');

    await page.getByLabel('Stress First Aid for clinical teams').check();
    await page.getByLabel('Reflection assignment').check();
    await page.getByRole('button', { name: 'Add to course' }).click();
    await page.waitForURL(`${rounds.url}/sandbox/?placed=2`);
    expect(await page.getByRole('status').textContent()).toContain('2 activities were added');

    await page
      .getByRole('link', { name: 'Launch “Stress First Aid for clinical teams” as Marcus Lee, PharmD' })
      .click();
    await page.waitForURL(`${rounds.url}/targets/module/stress-first-aid`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
      'Stress First Aid for clinical teams',
    );
    await expectAccessiblePage(page, 'target-module');
  });
});
