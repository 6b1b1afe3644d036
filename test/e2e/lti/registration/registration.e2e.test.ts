import { expectAccessiblePage, useBrowserTest } from '../../../support/browser';

// What an LMS administrator clicks: "Register a tool by URL" in the sandbox LMS.
// In Chromium, with axe (WCAG 2.2 AA) and a screenshot of each Rounds page.

const { open } = useBrowserTest();

describe('an LMS administrator registers Rounds by URL', () => {
  it('when he registers Rounds from the sandbox’s tools page, then Rounds says the operator must activate it, and its button closes the frame', async () => {
    const page = await open('/sandbox/tools');
    await page.getByRole('button', { name: 'Register a tool by URL' }).click();
    const frame = page.frameLocator('iframe[data-tool-origin]');
    await frame.getByRole('heading', { name: 'Rounds is registered with your LMS' }).waitFor();
    await frame.getByRole('button', { name: 'Close and return to the LMS' }).click();
    // The POST that opened the frame answered at /sandbox/tools too: wait for the list page itself.
    await page.getByRole('heading', { level: 1, name: 'LTI tools' }).waitFor();
    expect(await page.getByText(/Client ID sandbox-dr-\d+/).count()).toBeGreaterThan(0);
    await expectAccessiblePage(page, 'sandbox-tools');
  });

  it('when Rounds’ registration page is opened on its own, then it meets WCAG 2.2 AA', async () => {
    // The frame's request is held back so its token stays unused for the page opened alone.
    const alone = await open('/sandbox/tools');
    await alone.route('**/lti/register?**', (route) => route.abort());
    await alone.getByRole('button', { name: 'Register a tool by URL' }).click();
    const src = await alone.locator('iframe[data-tool-origin]').getAttribute('src');
    await alone.unroute('**/lti/register?**');
    await alone.goto(src!);
    expect(await alone.getByRole('heading', { level: 1 }).textContent()).toContain(
      'Rounds is registered with your LMS',
    );
    await expectAccessiblePage(alone, 'lti-registered');
  });
});
