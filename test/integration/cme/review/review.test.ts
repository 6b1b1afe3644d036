import { CmeActivityModel, LedgerEntryModel } from '../../../../src/cme';
import { TenantModel } from '../../../../src/tenancy';
import { postForm, sandboxCourseIn, signedInAs, useTestRounds, type Agent } from '../../../support';
import {
  binary,
  pdfText,
  seedActivity as seedCertificateActivity,
  seedClaim,
} from '../certificates/certificates.seed';
import { entriesFor, postClaim, seedActivity, seedCompletion, textOf } from '../claims/claims.support';

// Adversarial review of issue 13: what a CME office or a licensing board would be hurt by.
const rounds = useTestRounds();
let nurse: Agent;
let nurseId: string;
let tenantId: string;

beforeAll(async () => {
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  const course = await sandboxCourseIn(rounds);
  tenantId = course.tenantId;
  await TenantModel.updateOne({ _id: tenantId }, { timeZone: 'America/Chicago' });
  nurseId = await course.userId('3');
  await seedCompletion(tenantId, nurseId, '2026-03-14T10:00');
});

function saveProfession(profession: string) {
  return postForm(nurse, '/cme/profile', '/cme/profile', {
    profession,
    firstName: 'Nora',
    lastName: 'Okafor',
  });
}

describe('one learner, one activity: credit under one profession only', () => {
  it('when a nurse claims participation hours, then switches her profile to MD and claims AMA credit too, then the AMA claim is refused', async () => {
    const { key } = await seedActivity(tenantId);
    expect((await saveProfession('nurse')).status).toBe(303);
    expect((await postClaim(nurse, key, { 'amount-participation': '2', attest: 'yes' })).status).toBe(303);

    expect((await saveProfession('physician-md')).status).toBe(303);
    const second = await postClaim(nurse, key, { 'amount-ama-pra-1': '2', attest: 'yes' });

    expect(second.status).toBe(400);
    expect(textOf(second)).toMatch(/as a nurse/i);
    expect((await entriesFor(nurseId, key)).map((entry) => entry.creditType)).toEqual(['participation']);
  });
});

describe('activities not open for claims', () => {
  it('when the activity is closed, then a forged claim POST is 404 and writes nothing', async () => {
    const { key } = await seedActivity(tenantId);
    await CmeActivityModel.updateOne({ tenantId, key }, { status: 'closed', closedAt: new Date() });
    expect((await saveProfession('nurse')).status).toBe(303);
    // The page is gone (404), so the form's token comes from another page of the session.
    const sent = await postForm(nurse, '/cme/profile', `/cme/activities/${key}/claim`, {
      'amount-participation': '1',
      attest: 'yes',
    });
    expect(sent.status).toBe(404);
    expect(await LedgerEntryModel.countDocuments({ activityKey: key })).toBe(0);
  });
});

describe('certificates of live formats', () => {
  it('when the activity is a regularly scheduled series (a live format), then its certificate prints the location', async () => {
    const activity = await seedCertificateActivity(tenantId, {
      format: 'rss',
      location: 'Mercy Hospital, Grand Rounds Hall B',
    });
    const claim = await seedClaim({
      tenantId,
      userId: nurseId,
      activity,
      creditType: 'participation',
      completionDate: '2026-03-05',
      profession: 'nurse',
      learnerName: 'Nora Okafor',
    });
    const pdf = await nurse
      .get(`/cme/certificates/${claim.number}.pdf`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(await pdfText(pdf.body as Buffer)).toContain('Location: Mercy Hospital, Grand Rounds Hall B');
  });
});
