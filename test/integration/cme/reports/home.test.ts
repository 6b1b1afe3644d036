import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import {
  CmeActivityModel,
  CmeProfileModel,
  LedgerEntryModel,
  newCertificateNumber,
} from '../../../../src/cme';
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

// The CME admin home's weekly numbers (issue 14, item 4): credits by month and credit type over the last twelve
// months, claims waiting for each reporting body, CPE Monitor claims near NABP's 60-day limit, and the way to the
// exports. Activities, profiles and ledger entries are written straight through the models (other parts' pages).

const rounds = useTestRounds();
const zone = 'America/Chicago';
let course: SandboxCourse;
let admin: Agent;
let ids: Record<'physician' | 'nurse' | 'pharmacist', string>;
let today: DateTime;
let seeded = 0;

async function seedActivity(tenantId: string, key: string, title: string) {
  return CmeActivityModel.create({
    tenantId,
    key,
    version: 1,
    status: 'published',
    title,
    format: 'enduring',
    providerName: 'Rounds Medical Education',
    accreditation: 'joint',
    accreditationStatement: 'In support of improving patient care, this activity has been planned jointly.',
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    accmeActivityId: '20269876',
    designations: [
      { creditType: 'ama-pra-1', maximum: 4, statement: 'Up to 4 AMA PRA Category 1 Credits™.' },
      { creditType: 'ancc', maximum: 4, statement: 'Up to 4 ANCC contact hours.' },
      {
        creditType: 'acpe',
        maximum: 4,
        statement: 'Up to 4 ACPE contact hours.',
        uan: 'JA0000123-0000-26-001-H04-P',
        acpeCreditType: 'knowledge',
      },
    ],
  });
}

/** A claim as the claims part writes it: one document with its certificate number and audit fields. */
async function seedClaim(fields: {
  tenantId?: string;
  userId: string;
  activity: { _id: mongoose.Types.ObjectId; key: string; version: number };
  creditType: string;
  amount: number;
  completionDate: string;
  profession: string;
  learnerName: string;
}) {
  seeded += 1;
  return LedgerEntryModel.create({
    tenantId: fields.tenantId ?? course.tenantId,
    userId: fields.userId,
    kind: 'claim',
    idempotencyKey: `claim:home-test:${seeded}`,
    number: newCertificateNumber(),
    activityKey: fields.activity.key,
    activityId: fields.activity._id,
    activityVersion: fields.activity.version,
    creditType: fields.creditType,
    amount: fields.amount,
    attestationText: 'I attest that I completed this activity.',
    // Noon of the completion day, but never later than a few minutes ago: a claim completed "today" is already
    // recorded whatever the hour the test runs (the dashboard counts claims recorded by now).
    recordedAt: DateTime.min(
      DateTime.fromISO(fields.completionDate, { zone }).plus({ hours: 12 }),
      DateTime.now().minus({ minutes: 5 }),
    ).toJSDate(),
    completionDate: fields.completionDate,
    recordedBy: { kind: 'learner', id: fields.userId, name: fields.learnerName },
    learnerName: fields.learnerName,
    profession: fields.profession,
  });
}

/** A learner's reporting profile with the consents given (long ago, before any claim). */
async function seedProfile(userId: string, profile: Record<string, unknown>, consents: string[]) {
  const given = { given: true, at: new Date('2025-01-02T12:00:00Z') };
  await CmeProfileModel.create({
    tenantId: course.tenantId,
    userId,
    ...profile,
    consents: Object.fromEntries(consents.map((kind) => [kind, given])),
  });
}

/** Rows of the table captioned `caption`, each as "cell | cell | …", entities decoded. */
function tableRows(html: string, caption: string): string[] {
  const start = html.indexOf(`>${caption}</caption>`);
  if (start === -1) return [];
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html.slice(start))?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)]
      .map((cell) => decodeHtml(cell[1]!.replace(/<[^>]+>/g, '').trim()))
      .join(' | '),
  );
}

beforeAll(async () => {
  await signedInAs(rounds, 'physician');
  await signedInAs(rounds, 'nurse');
  await signedInAs(rounds, 'pharmacist');
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
  ids = {
    physician: await course.userId('4'),
    nurse: await course.userId('3'),
    pharmacist: await course.userId('5'),
  };
  await TenantModel.updateOne({ _id: course.tenantId }, { $set: { timeZone: zone } });
  today = DateTime.now().setZone(zone).startOf('day');
  const activity = await seedActivity(course.tenantId, 'home-resilience', 'Resilience on the Ward');

  await seedProfile(
    ids.physician,
    {
      profession: 'physician-md',
      firstName: 'Priya',
      lastName: 'Raman',
      npi: '1234567893',
      birthMonthDay: '0229',
    },
    ['pars'],
  );
  await seedProfile(
    ids.pharmacist,
    {
      profession: 'pharmacist',
      firstName: 'Marcus',
      lastName: 'Lee',
      nabpEprofileId: '1234567',
      birthMonthDay: '0714',
    },
    ['cpeMonitor'],
  );
  // The nurse never consented to CE Broker: her claim waits for nobody.
  await seedProfile(ids.nurse, { profession: 'nurse', firstName: 'Nora', lastName: 'Okafor' }, []);

  // This month: the physician's 1.25 AMA credits and the nurse's 2 ANCC hours.
  await seedClaim({
    userId: ids.physician,
    activity,
    creditType: 'ama-pra-1',
    amount: 1.25,
    completionDate: today.toISODate()!,
    profession: 'physician-md',
    learnerName: 'Priya Raman',
  });
  await seedClaim({
    userId: ids.nurse,
    activity,
    creditType: 'ancc',
    amount: 2,
    completionDate: today.toISODate()!,
    profession: 'nurse',
    learnerName: 'Nora Okafor',
  });
  // Fifty days ago: the pharmacist's 1.5 ACPE hours, not yet reported to CPE Monitor.
  await seedClaim({
    userId: ids.pharmacist,
    activity,
    creditType: 'acpe',
    amount: 1.5,
    completionDate: today.minus({ days: 50 }).toISODate()!,
    profession: 'pharmacist',
    learnerName: 'Marcus Lee',
  });

  // Another tenant's consenting physician and claim: never on this tenant's home.
  const other = await TenantModel.create({
    issuer: 'https://other-lms.example',
    clientId: 'other-client',
    deploymentId: 'home-other',
  });
  const otherActivity = await seedActivity(String(other._id), 'home-other', 'Another Hospital’s Activity');
  await seedClaim({
    tenantId: String(other._id),
    userId: String(new mongoose.Types.ObjectId()),
    activity: otherActivity,
    creditType: 'ama-pra-1',
    amount: 4,
    completionDate: today.toISODate()!,
    profession: 'physician-do',
    learnerName: 'Other Doctor',
  });
});

describe('the CME admin home’s reporting dashboard', () => {
  it('when a CME admin opens it, then this month’s credits are in the chart and its table, per credit type', async () => {
    const page = decodeHtml((await admin.get('/cme/admin').expect(200)).text);
    const month = today.setLocale('en-US').toFormat('LLLL yyyy');
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('Credits by month, last twelve months');
    expect(page).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="credits-chart-title credits-chart-desc"/);
    const description = /<desc id="credits-chart-desc">([^<]*)<\/desc>/.exec(page)![1]!;
    expect(description).toContain(`${month}: AMA PRA Category 1 Credit™ 1.25; ANCC contact hours 2`);
    const rows = tableRows(page, 'Credits by month and credit type');
    expect(rows).toContain(`${month} | AMA PRA Category 1 Credit™ | 1 | 1.25`);
    expect(rows).toContain(`${month} | ANCC contact hours | 1 | 2`);
    // Another tenant's 4 credits are not in this tenant's figures.
    expect(rows.join('\n')).not.toContain('| 4');
    expect(page).not.toContain('Another Hospital');
  });

  it('when claims wait for a body, then the home counts them: the consenting physician’s claim awaits PARS', async () => {
    const page = decodeHtml((await admin.get('/cme/admin').expect(200)).text);
    expect(tableRows(page, 'Claims waiting to be reported, by reporting body')).toEqual([
      'ACCME PARS | Physicians’ AMA PRA Category 1 Credit™ | 1 claim | Export for ACCME PARS',
      'NABP CPE Monitor | Pharmacists’ and pharmacy technicians’ ACPE credit | 1 claim | Export for NABP CPE Monitor',
      // The nurse did not consent to CE Broker reporting.
      'CE Broker | Nurses’ ANCC contact hours | 0 claims | Export for CE Broker',
    ]);
    expect(page).toContain('href="/cme/admin/exports?format=pars-csv"');
  });

  it('when a CPE Monitor claim is 50 days old, then it is listed as approaching the 60-day limit', async () => {
    const page = decodeHtml((await admin.get('/cme/admin').expect(200)).text);
    expect(page).toContain('CPE Monitor: the 60-day limit');
    expect(tableRows(page, 'CPE Monitor claims near or past the 60-day limit, oldest first')).toEqual([
      `Marcus Lee | Resilience on the Ward | ${today.minus({ days: 50 }).setLocale('en-US').toFormat('d LLLL yyyy')} | Approaching the limit: day 50 of 60`,
    ]);
    expect(page).toMatch(/>1<\/span> approaching the limit/);
    expect(page).toMatch(/>0<\/span> past the limit/);
  });

  it('when the admin wants to export, then the home links to the exports and their log', async () => {
    const page = decodeHtml((await admin.get('/cme/admin').expect(200)).text);
    expect(page).toContain('<a href="/cme/admin/exports">Export for PARS, CPE Monitor, CE Broker or CSV</a>');
    expect(page).toContain('<a href="/cme/admin/exports/log">Export log</a>');
  });
});
