import mongoose from 'mongoose';
import { activeClaimsOf, ledgerOf } from '../../../../src/cme/claims';
import { appendEntry } from '../../../../src/cme/claims/ledger.service';
import { LedgerEntryModel } from '../../../../src/cme';
import { TenantModel } from '../../../../src/tenancy';
import {
  openForm,
  postForm,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import { signInAccount } from '../../../support/accounts';
import { postClaim, seedActivity, seedCompletion, seedProfile, textOf } from './claims.support';

// CME admin corrections (issue 13, item 6): search, revoke and reissue with reasons, the audit log, and who is
// refused: learners (403) and the CME admin of another tenant (404).
const rounds = useTestRounds();
let course: SandboxCourse;
let admin: Agent;
let physician: Agent;
let physicianId: string;
let key: string;
let claimed: { _id: mongoose.Types.ObjectId; number: string };

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  admin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  course = await sandboxCourseIn(rounds);
  physicianId = await course.userId('4');
  key = (await seedActivity(course.tenantId)).key;
  await seedCompletion(course.tenantId, physicianId, '2026-03-14T10:00');
  await seedProfile(course.tenantId, physicianId, 'physician-do', ['Priya', 'Raman']);
  expect((await postClaim(physician, key, { 'amount-ama-pra-1': '2', attest: 'yes' })).status).toBe(303);
  claimed = (await LedgerEntryModel.findOne({ userId: physicianId, activityKey: key }).lean())!;
});

const entryPath = () => `/cme/admin/claims/${String(claimed._id)}`;

describe('finding a claim', () => {
  it('when the admin searches by part of the learner’s name, then the claim is listed, newest first, valid', async () => {
    const page = textOf(await admin.get('/cme/admin/claims?q=raman').expect(200));
    expect(page).toContain(`<a class="cme-number" href="${entryPath()}">${claimed.number}</a>`);
    expect(page).toContain('2 AMA PRA Category 1 Credit™');
    expect(page).toContain('Valid');
  });

  it('when the admin types the certificate number loosely (lower case, spaces), then exactly that claim; a typo is told as a typo', async () => {
    const loose = claimed.number.toLowerCase().replace(/-/g, ' ');
    expect(textOf(await admin.get(`/cme/admin/claims?q=${encodeURIComponent(loose)}`).expect(200))).toContain(
      claimed.number,
    );
    const last = claimed.number.slice(-1);
    const typo = claimed.number.slice(0, -1) + (last === '0' ? '1' : '0');
    const page = textOf(await admin.get(`/cme/admin/claims?q=${encodeURIComponent(typo)}`).expect(200));
    expect(page).toContain('looks like a certificate number with a typo');
    expect(page).toContain('No claims match your search.');
  });
});

describe('revoke, then reissue', () => {
  it('when the admin revokes without a reason, then 400 with the message at the reason, nothing written', async () => {
    const refused = await postForm(admin, entryPath(), `${entryPath()}/revoke`, { reason: '   ' });
    expect(refused.status).toBe(400);
    expect(textOf(refused)).toContain(
      '<a href="#revoke-reason">Give the reason: it is kept in the audit log.</a>',
    );
    expect(await LedgerEntryModel.countDocuments({ userId: physicianId })).toBe(1);
  });

  it('when the admin revokes with a reason (twice, racing), then one revocation entry and the claim itself unchanged', async () => {
    const { csrf } = await openForm(admin, entryPath());
    const send = () =>
      admin
        .post(`${entryPath()}/revoke`)
        .type('form')
        .set('Accept', 'text/html')
        .send({ _csrf: csrf, reason: 'Claimed for the wrong activity' });
    const answers = await Promise.all([send(), send()]);
    expect(answers.map((answer) => answer.status)).toContain(303);
    const entries = await LedgerEntryModel.find({ userId: physicianId }).sort({ recordedAt: 1 }).lean();
    expect(entries.map((entry) => entry.kind)).toEqual(['claim', 'revocation']);
    expect(entries[0]).toEqual(claimed);
    expect(entries[1]).toMatchObject({
      revokesEntryId: claimed._id,
      reason: 'Claimed for the wrong activity',
      recordedBy: { kind: 'lti-admin' },
    });
    const page = textOf(await admin.get(entryPath()).expect(200));
    expect(page).toContain('Revoked');
    expect(page).toContain('Claimed for the wrong activity');
    expect(page).not.toContain('Revoke certificate');
  });

  it('when the admin reissues above the maximum, then 400 naming the maximum, the typed reason kept', async () => {
    const refused = await postForm(admin, entryPath(), `${entryPath()}/reissue`, {
      amount: '2.5',
      reason: 'Corrected hours',
    });
    expect(refused.status).toBe(400);
    const page = textOf(refused);
    expect(page).toContain('You can claim at most 2 AMA PRA Category 1 Credit™ for this activity');
    expect(page).toContain('>Corrected hours</textarea>');
  });

  it('when the admin reissues 1.5 with a reason, then a new certificate, and the learner’s ledger counts it instead', async () => {
    const sent = await postForm(admin, entryPath(), `${entryPath()}/reissue`, {
      amount: '1.5',
      reason: 'Attended 90 minutes only',
    });
    expect(sent.status).toBe(303);
    const reissue = (await LedgerEntryModel.findOne({ userId: physicianId, kind: 'reissue' }).lean())!;
    expect(sent.headers.location).toBe(`/cme/admin/claims/${String(reissue._id)}?done=reissued`);
    expect(reissue).toMatchObject({
      amount: 1.5,
      reissueOfEntryId: claimed._id,
      completionDate: '2026-03-14',
      learnerName: 'Priya Raman',
    });
    expect(reissue.number).not.toBe(claimed.number);
    expect(
      (await activeClaimsOf(course.tenantId, physicianId)).map((line) => [line.number, line.amount]),
    ).toEqual([[reissue.number, 1.5]]);
    const lines = await ledgerOf(course.tenantId, physicianId);
    expect(lines.map((line) => [line.kind, line.revoked])).toEqual([
      ['claim', true],
      ['reissue', false],
    ]);
    expect(lines[0]!.revocation).toMatchObject({ reason: 'Claimed for the wrong activity' });
  });

  it('then both corrections are in the audit log with who, when and why', async () => {
    const page = textOf(await admin.get('/cme/admin/audit').expect(200));
    expect(page).toContain('Revoked');
    expect(page).toContain('Reissued');
    expect(page).toContain('Claimed for the wrong activity');
    expect(page).toContain('Attended 90 minutes only');
    expect(page).toContain('Sam');
    expect(page).toContain(claimed.number);
  });

  it('when the same reissue is sent again, then 409 and still one reissue', async () => {
    const again = await postForm(admin, entryPath(), `${entryPath()}/reissue`, {
      amount: '1',
      reason: 'Again',
    });
    expect(again.status).toBe(409);
    expect(await LedgerEntryModel.countDocuments({ userId: physicianId, kind: 'reissue' })).toBe(1);
  });
});

describe('who is refused', () => {
  it('when a learner opens the claims, an entry, the audit log or posts a revocation, then 403', async () => {
    for (const path of ['/cme/admin/claims', entryPath(), '/cme/admin/audit']) {
      await physician.get(path).set('Accept', 'text/html').expect(403);
    }
    const { csrf } = await openForm(physician, `/cme/activities/${key}`);
    await physician
      .post(`${entryPath()}/revoke`)
      .type('form')
      .send({ _csrf: csrf, reason: 'mine' })
      .expect(403);
  });

  it('when the CME admin of another tenant opens or revokes this tenant’s claim, then 404, and their search finds nothing', async () => {
    const other = await TenantModel.create({
      issuer: 'https://other-lms.example',
      clientId: 'other',
      deploymentId: 'claims-other',
    });
    const { agent } = await signInAccount(rounds, {
      roles: [{ role: 'cme-admin', tenantId: String(other._id) }],
      totp: true,
    });
    await agent.get(entryPath()).set('Accept', 'text/html').expect(404);
    const { csrf } = await openForm(agent, '/cme/admin/claims');
    await agent
      .post(`${entryPath()}/revoke`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, reason: 'x' })
      .expect(404);
    expect(textOf(await agent.get('/cme/admin/claims?q=raman').expect(200))).toContain(
      'No claims match your search.',
    );
    await agent.get('/cme/admin/claims/not-an-id').set('Accept', 'text/html').expect(404);
    expect(await LedgerEntryModel.countDocuments({ userId: physicianId, kind: 'revocation' })).toBe(1);
  });
});

describe('the ledger’s idempotency', () => {
  it('when one entry is appended twice at once with the same key, then one document, both callers get it', async () => {
    const entry = {
      tenantId: course.tenantId,
      userId: new mongoose.Types.ObjectId(),
      kind: 'claim' as const,
      idempotencyKey: `claim:race-${Date.now()}:${key}:ama-pra-1`,
      activityKey: key,
      activityId: new mongoose.Types.ObjectId(),
      activityVersion: 1,
      creditType: 'ama-pra-1' as const,
      amount: 1,
      attestationText: 'I attest.',
      recordedAt: new Date(),
      completionDate: '2026-03-14',
      recordedBy: { kind: 'learner' as const, id: 'x', name: 'X' },
      reason: '',
      learnerName: 'X',
      profession: 'physician-md',
    };
    const [first, second] = await Promise.all([appendEntry(entry), appendEntry(entry)]);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(String(first.entry._id)).toBe(String(second.entry._id));
    expect(await LedgerEntryModel.countDocuments({ idempotencyKey: entry.idempotencyKey })).toBe(1);
  });
});
