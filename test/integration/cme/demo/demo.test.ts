import { CmeActivityModel } from '../../../../src/cme';
import { demoActivityKey } from '../../../../src/cme/demo';
import { SandboxResourceLink } from '../../../../src/sandbox/sandbox.model';
import { decodeHtml, signedInAs, useTestRounds } from '../../../support';

// `npm run dev` (sandboxDemoData on): the sandbox course has a published CME activity behind the placed claim
// page, so "Launch as" the physician shows what is required, and the nurse her contact hours (issue 13, item 7).
const rounds = useTestRounds({ sandboxDemoData: true });

async function claimLink(): Promise<string> {
  const placed = await SandboxResourceLink.findOne({
    'custom.rounds_target': 'cme-claim:course-credit',
  }).lean();
  expect(placed).not.toBeNull();
  return placed!.resourceLinkId;
}

describe('the demo CME activity of the sandbox course', () => {
  it('when the CME office looks, then the activity is published: enduring material, 2 AMA credits and 2 ANCC hours, two modules and the evaluation', async () => {
    const activity = (await CmeActivityModel.findOne({ key: demoActivityKey }).lean())!;
    expect(activity).toMatchObject({ status: 'published', format: 'enduring', version: 1 });
    expect(activity.designations.map((d) => [d.creditType, d.maximum])).toEqual([
      ['ama-pra-1', 2],
      ['ancc', 2],
    ]);
    expect(activity.requirements!.moduleSlugs).toEqual(['stress-first-aid', 'two-minute-resets']);
    expect(activity.requirements!.evaluationRequired).toBe(true);
  });

  it('when the physician opens the placed claim page, then she sees the requirements still to meet', async () => {
    const { agent, launch } = await signedInAs(rounds, 'physician', { resourceLinkId: await claimLink() });
    const page = await agent.get(launch.headers.location!).redirects(3).expect(200);
    const text = decodeHtml(page.text);
    expect(text).toContain('Clinician well-being essentials (demo)');
    expect(text).toMatch(/Stress First Aid/i);
    expect(text).toMatch(/AMA PRA Category 1 Credit/);
  });

  it('when the nurse opens it, then her contact hours are what it offers her', async () => {
    const { agent, launch } = await signedInAs(rounds, 'nurse', { resourceLinkId: await claimLink() });
    const page = await agent.get(launch.headers.location!).redirects(3).expect(200);
    expect(decodeHtml(page.text)).toMatch(/ANCC contact hours/);
  });
});
