import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import { CmeActivityModel, LedgerEntryModel, newCertificateNumber } from '../../../../src/cme';
import { TenantModel } from '../../../../src/tenancy';
import {
  adminAgent,
  decodeHtml,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import { signInAccount } from '../../../support/accounts';

const rounds = useTestRounds();
let course: SandboxCourse;
let admin: Agent;
let physician: Agent;
let ids: Record<'physician' | 'nurse' | 'pharmacist', string>;

let seeded = 0;

/** An activity version written straight through the model (the activities pages are another part's). */
async function seedActivity(tenantId: string, key: string, title: string, version = 1) {
  return CmeActivityModel.create({
    tenantId,
    key,
    version,
    status: 'published',
    title,
    format: 'enduring',
    providerName: 'Rounds Medical Education',
    accreditation: 'joint',
    accreditationStatement: 'In support of improving patient care, this activity has been planned jointly.',
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    designations: [
      {
        creditType: 'ama-pra-1',
        maximum: 4,
        statement: 'Designated for a maximum of 4 AMA PRA Category 1 Credits™.',
      },
      { creditType: 'ancc', maximum: 4, statement: 'Up to 4 ANCC contact hours.' },
    ],
  });
}

/** A ledger entry as the claims part writes it: one document, its certificate number and audit fields in it. */
async function seedEntry(fields: {
  tenantId?: string;
  userId: string;
  activity: { _id: mongoose.Types.ObjectId; key: string; version: number };
  creditType: string;
  amount: number;
  completionDate: string;
  profession: string;
  kind?: 'claim' | 'revocation' | 'reissue';
  revokesEntryId?: mongoose.Types.ObjectId;
  reissueOfEntryId?: mongoose.Types.ObjectId;
  recordedAt?: Date;
}) {
  seeded += 1;
  const kind = fields.kind ?? 'claim';
  return LedgerEntryModel.create({
    tenantId: fields.tenantId ?? course.tenantId,
    userId: fields.userId,
    kind,
    idempotencyKey: `${kind}:report-test:${seeded}:${Date.now()}`,
    number: newCertificateNumber(),
    activityKey: fields.activity.key,
    activityId: fields.activity._id,
    activityVersion: fields.activity.version,
    creditType: fields.creditType,
    amount: fields.amount,
    attestationText: 'I attest that I completed this activity.',
    recordedAt: fields.recordedAt ?? new Date(),
    completionDate: fields.completionDate,
    revokesEntryId: fields.revokesEntryId,
    reissueOfEntryId: fields.reissueOfEntryId,
    recordedBy: { kind: kind === 'claim' ? 'learner' : 'lti-admin', id: fields.userId, name: 'Seeder' },
    reason: kind === 'claim' ? '' : 'Seeded correction',
    learnerName: 'Seeded Learner',
    profession: fields.profession,
  });
}

/** The report's table rows as text: "Month | Activity | Profession | Credit type | Claims | Credits". */
function tableRows(html: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
      .map((cell) => decodeHtml(cell[1]!.trim()))
      .join(' | '),
  );
}

let stress: Awaited<ReturnType<typeof seedActivity>>;
let sleep: Awaited<ReturnType<typeof seedActivity>>;

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  await signedInAs(rounds, 'nurse');
  await signedInAs(rounds, 'pharmacist');
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
  ids = {
    physician: await course.userId('4'),
    nurse: await course.userId('3'),
    pharmacist: await course.userId('5'),
  };
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: 'America/Chicago' } });
  stress = await seedActivity(course.tenantId, 'report-stress-first-aid', 'Stress First Aid (draft title)');
  // Version 2 renamed it: the report names an activity by its latest title, across versions.
  await seedActivity(course.tenantId, 'report-stress-first-aid', 'Stress First Aid for Clinicians', 2);
  sleep = await seedActivity(course.tenantId, 'report-sleep', 'Sleep and Night Shifts');

  // March 2025: a physician's 1.25 AMA credits, completed 31 March in Chicago (01 April in UTC).
  await seedEntry({
    userId: ids.physician,
    activity: stress,
    creditType: 'ama-pra-1',
    amount: 1.25,
    completionDate: '2025-03-31',
    profession: 'physician-md',
    recordedAt: new Date('2025-04-01T04:30:00Z'),
  });
  // March 2025: a nurse's 2 ANCC hours on the same activity, and 0.75 on another.
  await seedEntry({
    userId: ids.nurse,
    activity: stress,
    creditType: 'ancc',
    amount: 2,
    completionDate: '2025-03-02',
    profession: 'nurse',
  });
  await seedEntry({
    userId: ids.nurse,
    activity: sleep,
    creditType: 'ancc',
    amount: 0.75,
    completionDate: '2025-03-20',
    profession: 'nurse',
  });
  // April 2025: a physician claim revoked (not counted) and reissued at 1.5 (counted).
  const revoked = await seedEntry({
    userId: ids.physician,
    activity: sleep,
    creditType: 'ama-pra-1',
    amount: 3,
    completionDate: '2025-04-10',
    profession: 'physician-md',
  });
  await seedEntry({
    userId: ids.physician,
    activity: sleep,
    creditType: 'ama-pra-1',
    amount: 3,
    completionDate: '2025-04-10',
    profession: 'physician-md',
    kind: 'revocation',
    revokesEntryId: revoked._id,
  });
  await seedEntry({
    userId: ids.physician,
    activity: sleep,
    creditType: 'ama-pra-1',
    amount: 1.5,
    completionDate: '2025-04-10',
    profession: 'physician-md',
    kind: 'reissue',
    reissueOfEntryId: revoked._id,
  });
  // Outside the range asked for below.
  await seedEntry({
    userId: ids.pharmacist,
    activity: sleep,
    creditType: 'participation',
    amount: 1,
    completionDate: '2024-12-31',
    profession: 'pharmacist',
  });

  // Another tenant's claim on an activity of its own: never in this tenant's report.
  const other = await TenantModel.create({
    issuer: 'https://other-lms.example',
    clientId: 'other-client',
    deploymentId: 'report-other',
  });
  const otherActivity = await seedActivity(String(other._id), 'report-other', 'Another Hospital’s Activity');
  await seedEntry({
    tenantId: String(other._id),
    userId: String(new mongoose.Types.ObjectId()),
    activity: otherActivity,
    creditType: 'ama-pra-1',
    amount: 4,
    completionDate: '2025-03-15',
    profession: 'physician-do',
  });
});

const range = 'from=2025-01-01&to=2025-06-30';

describe('who may open the CME admin pages', () => {
  it('when a learner opens the CME admin home, the report or its CSV, then each answers 403 and shows no figures', async () => {
    for (const path of ['/cme/admin', `/cme/admin/report?${range}`, `/cme/admin/report.csv?${range}`]) {
      const answer = await physician.get(path).set('Accept', 'text/html');
      expect([path, answer.status]).toEqual([path, 403]);
      expect(answer.text).not.toContain('Stress First Aid for Clinicians');
    }
  });

  it('when a CME admin account of another tenant opens the report, then it shows none of this tenant’s activities or credits', async () => {
    const other = await TenantModel.findOne({ deploymentId: 'report-other' }).lean();
    const { agent } = await signInAccount(rounds, {
      roles: [{ role: 'cme-admin', tenantId: String(other!._id) }],
      totp: true,
    });
    const page = decodeHtml((await agent.get(`/cme/admin/report?${range}`).expect(200)).text);
    expect(page).not.toContain('Stress First Aid');
    expect(page).not.toContain('Sleep and Night Shifts');
    expect(tableRows(page)).toEqual([
      'March 2025 | Another Hospital’s Activity | Physician (DO) | AMA PRA Category 1 Credit™ | 1 | 4',
    ]);
    const csv = await agent.get(`/cme/admin/report.csv?${range}`).expect(200);
    expect(csv.text).not.toContain('Stress First Aid');
  });
});

describe('the CME admin home', () => {
  it('when a CME admin opens /cme/admin, then it links to activities, claims, the audit log and the report, with counts', async () => {
    const page = decodeHtml((await admin.get('/cme/admin').expect(200)).text);
    expect(page).toContain('<h1>CME administration</h1>');
    for (const href of [
      '/cme/admin/activities',
      '/cme/admin/claims',
      '/cme/admin/audit',
      '/cme/admin/report',
    ]) {
      expect(page).toContain(`href="${href}"`);
    }
    // Two activities of this tenant, both published in their latest version.
    expect(page).toMatch(/>2<\/span> published activities/);
    expect(page).toContain('America/Chicago');
  });
});

describe('the credit report', () => {
  it('when a CME admin asks for a range, then credits are grouped by month, activity, profession and credit type, revoked claims left out', async () => {
    const page = decodeHtml((await admin.get(`/cme/admin/report?${range}`).expect(200)).text);
    expect(page).toContain('Credits completed 1 January 2025 to 30 June 2025');
    expect(tableRows(page)).toEqual([
      'March 2025 | Sleep and Night Shifts | Nurse | ANCC contact hours | 1 | 0.75',
      // The completion at 23:30 on 31 March in Chicago counts in March, though it was 1 April in UTC.
      'March 2025 | Stress First Aid for Clinicians | Physician (MD) | AMA PRA Category 1 Credit™ | 1 | 1.25',
      'March 2025 | Stress First Aid for Clinicians | Nurse | ANCC contact hours | 1 | 2',
      // The revoked 3 credits are gone; the reissued 1.5 count.
      'April 2025 | Sleep and Night Shifts | Physician (MD) | AMA PRA Category 1 Credit™ | 1 | 1.5',
    ]);
    expect(page).toContain('1 revoked claim is in this range and not counted.');
    expect(page).toMatch(/<strong>2.75<\/strong> AMA PRA Category 1 Credit™/);
    expect(page).toMatch(/<strong>2.75<\/strong> ANCC contact hours/);
    expect(page).not.toContain('Another Hospital');
  });

  it('when the report has credits, then its chart is an image with a text alternative naming every month, type and figure', async () => {
    const page = decodeHtml((await admin.get(`/cme/admin/report?${range}`).expect(200)).text);
    expect(page).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="credits-chart-title credits-chart-desc"/);
    const description = /<desc id="credits-chart-desc">([^<]*)<\/desc>/.exec(page)![1];
    expect(description).toBe(
      '2 months with credits, oldest first. March 2025: AMA PRA Category 1 Credit™ 1.25; ANCC contact hours 2.75. ' +
        'April 2025: AMA PRA Category 1 Credit™ 1.5.',
    );
  });

  it('when the admin filters by activity, credit type and profession, then only matching rows remain and the choices stay selected', async () => {
    const byActivity = decodeHtml(
      (await admin.get(`/cme/admin/report?${range}&activity=report-sleep`).expect(200)).text,
    );
    expect(tableRows(byActivity)).toEqual([
      'March 2025 | Sleep and Night Shifts | Nurse | ANCC contact hours | 1 | 0.75',
      'April 2025 | Sleep and Night Shifts | Physician (MD) | AMA PRA Category 1 Credit™ | 1 | 1.5',
    ]);
    expect(byActivity).toContain('<option value="report-sleep" selected>');
    const byType = decodeHtml(
      (await admin.get(`/cme/admin/report?${range}&creditType=ama-pra-1`).expect(200)).text,
    );
    expect(tableRows(byType)).toHaveLength(2);
    const byProfession = decodeHtml(
      (await admin.get(`/cme/admin/report?${range}&profession=nurse`).expect(200)).text,
    );
    expect(tableRows(byProfession).every((row) => row.includes('| Nurse |'))).toBe(true);
    expect(tableRows(byProfession)).toHaveLength(2);
    expect(byProfession).toContain('<option value="nurse" selected>');
  });

  it('when nothing matches, then the page says so instead of an empty table', async () => {
    const page = decodeHtml(
      (await admin.get('/cme/admin/report?from=2020-01-01&to=2020-12-31').expect(200)).text,
    );
    expect(page).toContain('No credits were claimed in this range with these filters.');
    expect(page).not.toContain('<table');
  });

  it('when no range is given, then it shows the last twelve months up to today in the tenant’s zone', async () => {
    const today = DateTime.now().setZone('America/Chicago');
    await seedEntry({
      userId: ids.pharmacist,
      activity: stress,
      creditType: 'participation',
      amount: 0.5,
      completionDate: today.toISODate()!,
      profession: 'pharmacist',
    });
    const page = decodeHtml((await admin.get('/cme/admin/report').expect(200)).text);
    const from = today.startOf('month').minus({ months: 11 });
    expect(page).toContain(`value="${from.toISODate()}"`);
    expect(page).toContain(`value="${today.toISODate()}"`);
    expect(tableRows(page)).toContain(
      `${today.setLocale('en-US').toFormat('LLLL yyyy')} | Stress First Aid for Clinicians | Pharmacist | Certificate of participation (hours) | 1 | 0.5`,
    );
    // 2025's claims are more than a year back once 2026 is well under way; never the other tenant's.
    expect(page).not.toContain('Another Hospital');
  });

  it('when a date is not a real date or the end comes before the start, then 400 with the message at the field and the input kept', async () => {
    const badDate = await admin.get('/cme/admin/report?from=2025-02-30&to=2025-06-30').expect(400);
    const page = decodeHtml(badDate.text);
    expect(page).toContain(
      '<a href="#report-from">Enter the start date as a real date, like 2026-03-31.</a>',
    );
    expect(page).toMatch(/id="report-from-error"[^>]*>[\s\S]*Enter the start date as a real date/);
    expect(page).toContain('value="2025-02-30"');
    const reversed = decodeHtml(
      (await admin.get('/cme/admin/report?from=2025-06-30&to=2025-01-01').expect(400)).text,
    );
    expect(reversed).toContain('<a href="#report-to">The end date must be on or after the start date.</a>');
    expect(reversed).toContain('value="2025-06-30"');
    expect(reversed).toContain('value="2025-01-01"');
    const badType = decodeHtml((await admin.get('/cme/admin/report?creditType=cme-gold').expect(400)).text);
    expect(badType).toContain('Choose a credit type from the list.');
  });
});

describe('the CSV download', () => {
  it('when the admin downloads the table, then it is a CSV file of the same rows, with the filters in its name', async () => {
    const page = decodeHtml((await admin.get(`/cme/admin/report?${range}`).expect(200)).text);
    const href = /href="(\/cme\/admin\/report\.csv[^"]*)"/.exec(page)![1]!;
    expect(href).toBe('/cme/admin/report.csv?from=2025-01-01&to=2025-06-30');
    const csv = await admin
      .get(href)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      })
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="?cme-credits-2025-01-01-to-2025-06-30\.csv"?$/,
    );
    const lines = (csv.body as string).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines).toEqual([
      'Activity,Activity key,Month,Profession,Credit type,Claims,Credits',
      'Sleep and Night Shifts,report-sleep,2025-03,Nurse,ANCC contact hours,1,0.75',
      'Stress First Aid for Clinicians,report-stress-first-aid,2025-03,Physician (MD),AMA PRA Category 1 Credit™,1,1.25',
      'Stress First Aid for Clinicians,report-stress-first-aid,2025-03,Nurse,ANCC contact hours,1,2',
      'Sleep and Night Shifts,report-sleep,2025-04,Physician (MD),AMA PRA Category 1 Credit™,1,1.5',
      '',
    ]);
  });

  it('when an activity title starts like a spreadsheet formula or holds a comma, then the cell is quoted and defused', async () => {
    const risky = await seedActivity(
      course.tenantId,
      'report-risky',
      '=HYPERLINK("http://evil.example"), a title',
    );
    await seedEntry({
      userId: ids.nurse,
      activity: risky,
      creditType: 'ancc',
      amount: 1,
      completionDate: '2025-05-05',
      profession: 'nurse',
    });
    const csv = await admin.get(`/cme/admin/report.csv?${range}&activity=report-risky`).expect(200);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://evil.example""), a title",report-risky,2025-05,Nurse`);
  });
});
