import request from 'supertest';
import { TenantModel } from '../../../../src/tenancy';
import {
  decodeHtml,
  sandboxCourseIn,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';
import {
  accreditationStatement,
  amaStatement,
  anotherTenantId,
  binary,
  pdfText,
  seedActivity,
  seedClaim,
  seedRevocation,
} from './certificates.seed';

const rounds = useTestRounds();
let physician: Agent;
let nurse: Agent;
let cmeAdmin: Agent;
let course: SandboxCourse;
let physicianId: string;
let nurseId: string;
/** Completed at 23:30 in Chicago on March 5 (05:30 UTC on March 6): certificates say March 5. */
let lateEvening: Awaited<ReturnType<typeof seedClaim>>;
let anccClaim: Awaited<ReturnType<typeof seedClaim>>;
let revoked: Awaited<ReturnType<typeof seedClaim>>;
let reissued: NonNullable<Awaited<ReturnType<typeof seedRevocation>>['reissued']>;
let liveClaim: Awaited<ReturnType<typeof seedClaim>>;
let nurseClaim: Awaited<ReturnType<typeof seedClaim>>;

beforeAll(async () => {
  physician = (await signedInAs(rounds, 'physician')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  cmeAdmin = (await signedInAs(rounds, 'cmeAdmin')).agent;
  course = await sandboxCourseIn(rounds);
  await TenantModel.updateOne({ _id: course.tenantId }, { timeZone: 'America/Chicago' });
  physicianId = await course.userId('4');
  nurseId = await course.userId('3');

  const activity = await seedActivity(course.tenantId);
  lateEvening = await seedClaim({
    tenantId: course.tenantId,
    userId: physicianId,
    activity,
    amount: 1.25,
    completionDate: '2026-03-05',
    recordedAt: new Date('2026-03-06T05:30:00Z'),
  });
  const second = await seedActivity(course.tenantId, { title: 'Second Victim Support' });
  revoked = await seedClaim({
    tenantId: course.tenantId,
    userId: physicianId,
    activity: second,
    amount: 2,
    completionDate: '2026-04-10',
  });
  reissued = (
    await seedRevocation(revoked, new Date('2026-04-12T15:00:00Z'), {
      amount: 1.5,
      at: new Date('2026-04-12T15:05:00Z'),
    })
  ).reissued!;
  const live = await seedActivity(course.tenantId, {
    title: 'Grand Rounds: Moral Injury',
    format: 'live',
    location: 'Mercy Hospital, Auditorium B, Chicago',
    startDate: '2026-05-20',
    endDate: '2026-05-20',
  });
  liveClaim = await seedClaim({
    tenantId: course.tenantId,
    userId: physicianId,
    activity: live,
    amount: 1,
    completionDate: '2026-05-20',
  });
  const older = await seedActivity(course.tenantId, { title: 'Burnout Basics (2025)' });
  anccClaim = await seedClaim({
    tenantId: course.tenantId,
    userId: physicianId,
    activity: older,
    amount: 0.75,
    completionDate: '2025-11-02',
  });
  nurseClaim = await seedClaim({
    tenantId: course.tenantId,
    userId: nurseId,
    activity,
    creditType: 'ancc',
    amount: 2,
    completionDate: '2026-03-07',
    learnerName: 'Nora Okafor, RN',
    profession: 'nurse',
  });
});

function getPdf(agent: Agent, path: string) {
  return agent.get(path).buffer(true).parse(binary);
}

describe('certificate PDFs', () => {
  it('when the physician opens her certificate, then the PDF names everything a board needs, dated March 5 in Chicago', async () => {
    const response = await getPdf(physician, `/cme/certificates/${lateEvening.number}.pdf`).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['cache-control']).toContain('no-store');
    const text = await pdfText(response.body as Buffer);
    expect(text).toContain('Dr. Priya Raman');
    expect(text).toContain('Mercy Health CME');
    expect(text).toContain('Stress First Aid for Clinical Teams');
    expect(text).toContain('Format: Enduring material');
    expect(text).toContain('Activity dates: January 1, 2026 – December 31, 2026');
    expect(text).toContain('Completed: March 5, 2026');
    expect(text).not.toContain('March 6, 2026');
    expect(text).toContain('1.25 AMA PRA Category 1 Credits™');
    expect(text).toContain(amaStatement);
    expect(text).toContain(accreditationStatement);
    expect(text).toContain(`Certificate number: ${lateEvening.number}`);
    expect(text).toContain(`${rounds.config.publicUrl}/verify/${lateEvening.number}`);
    expect(text).not.toContain('REVOKED');
  });

  it('when the certificate is of a live activity, then it names the location and the single date', async () => {
    const response = await getPdf(physician, `/cme/certificates/${liveClaim.number}.pdf`).expect(200);
    const text = await pdfText(response.body as Buffer);
    expect(text).toContain('Format: Live activity');
    expect(text).toContain('Location: Mercy Hospital, Auditorium B, Chicago');
    expect(text).toContain('Activity dates: May 20, 2026');
    expect(text).toContain('1.00 AMA PRA Category 1 Credit™');
  });

  it('when the certificate was revoked, then it says so in words; the reissue is a certificate of its own', async () => {
    const old = await pdfText(
      (await getPdf(physician, `/cme/certificates/${revoked.number}.pdf`).expect(200)).body,
    );
    expect(old).toContain('REVOKED on April 12, 2026: this certificate is no longer valid.');
    const replacement = await pdfText(
      (await getPdf(physician, `/cme/certificates/${reissued.number}.pdf`).expect(200)).body,
    );
    expect(replacement).toContain('1.50 AMA PRA Category 1 Credits™');
    expect(replacement).toContain(`Reissued in place of certificate ${revoked.number}`);
    expect(replacement).not.toContain('REVOKED');
  });

  it('when a nurse claimed ANCC hours, then her certificate names them and the ANCC statement', async () => {
    const text = await pdfText(
      (await getPdf(nurse, `/cme/certificates/${nurseClaim.number}.pdf`).expect(200)).body,
    );
    expect(text).toContain('Nora Okafor, RN');
    expect(text).toContain('2.00 ANCC contact hours');
    expect(text).toContain('This activity is approved for 2 ANCC contact hours.');
  });

  it('when the number is typed in lower case without dashes, then the same certificate opens', async () => {
    const typed = lateEvening.number.toLowerCase().replace(/-/g, '');
    await getPdf(physician, `/cme/certificates/${typed}.pdf`).expect(200);
  });

  it('when someone else opens a learner’s certificate, then 404 as for a number that does not exist', async () => {
    const other = await nurse.get(`/cme/certificates/${lateEvening.number}.pdf`).set('Accept', 'text/html');
    expect(other.status).toBe(404);
    expect(other.text).not.toContain('Priya');
    await physician.get(`/cme/certificates/${nurseClaim.number}.pdf`).set('Accept', 'text/html').expect(404);
    await physician
      .get('/cme/certificates/RND-0000-0000-0000-0000-0.pdf')
      .set('Accept', 'text/html')
      .expect(404);
    await physician.get('/cme/certificates/not-a-number.pdf').set('Accept', 'text/html').expect(404);
  });

  it('when nobody is signed in, then 401', async () => {
    await request(rounds.url)
      .get(`/cme/certificates/${lateEvening.number}.pdf`)
      .set('Accept', 'text/html')
      .expect(401);
  });

  it('when the tenant’s CME admin opens a learner’s certificate, then it opens; another tenant’s certificate is 404', async () => {
    await getPdf(cmeAdmin, `/cme/certificates/${lateEvening.number}.pdf`).expect(200);
    const elsewhere = await seedActivity(anotherTenantId());
    const foreign = await seedClaim({
      tenantId: String(elsewhere.tenantId),
      userId: anotherTenantId(),
      activity: elsewhere,
      completionDate: '2026-02-02',
      learnerName: 'Someone Elsewhere',
    });
    const answer = await cmeAdmin.get(`/cme/certificates/${foreign.number}.pdf`).set('Accept', 'text/html');
    expect(answer.status).toBe(404);
    expect(answer.text).not.toContain('Someone Elsewhere');
  });
});

describe('the CME home', () => {
  it('when the physician opens /cme, then this year’s totals leave out the revoked and last year’s certificates, with a chart and its text', async () => {
    const page = decodeHtml((await physician.get('/cme').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    // 1.25 (March) + 1.50 (reissue) + 1.00 (live) = 3.75; the revoked 2.00 and the 2025 0.75 are not counted.
    expect(page).toContain('3.75 AMA PRA Category 1 Credits™');
    expect(page).toContain('<svg class="cme-credits__chart"');
    expect(page).toContain('Your credits in 2026, by credit type');
    expect(page).toContain('Revoked certificates are not counted.');
    expect(page).toContain('Revoked on April 12, 2026');
    expect(page).toContain(`href="/cme/certificates/${reissued.number}.pdf"`);
    expect(page).toContain(`href="/cme/certificates/${anccClaim.number}.pdf"`);
    expect(page).toContain('America/Chicago');
    expect(page).toContain('March 5, 2026');
    expect(page).toContain('Claimed March 5, 2026, 11:30 PM CST');
    expect(page).not.toContain(nurseClaim.number);
  });

  it('when a learner has no claims this year, then the page says so without a chart', async () => {
    const { agent } = await signedInAs(rounds, 'pharmacist');
    const page = decodeHtml((await agent.get('/cme').expect(200)).text);
    expect(page).toContain('You have no credit with a completion date in 2026 yet.');
    expect(page).toContain('You have not claimed CME credit yet.');
    expect(page).not.toContain('<svg');
  });

  it('when nobody is signed in, then /cme answers 401', async () => {
    await request(rounds.url).get('/cme').set('Accept', 'text/html').expect(401);
  });
});

describe('transcripts', () => {
  const range = 'from=2026-01-01&to=2026-12-31';

  it('when the physician asks for 2026, then every certificate completed in it is listed, the revoked one marked, with totals', async () => {
    const page = decodeHtml((await physician.get(`/cme/transcript?${range}`).expect(200)).text);
    expect(page).toContain('Dr. Priya Raman: January 1, 2026 – December 31, 2026');
    expect(page).toContain('March 5, 2026');
    expect(page).not.toContain('March 6, 2026');
    expect(page).toContain(revoked.number);
    expect(page).toContain('Revoked on April 12, 2026');
    expect(page).not.toContain(anccClaim.number);
    expect(page).toContain('3.75 AMA PRA Category 1 Credits™');
    expect(page).toContain(`href="/cme/transcript.pdf?${range}"`);
    expect(page).toContain(`href="/cme/transcript.csv?${range}"`);
  });

  it('when the range is given backwards or as a non-date, then 400 with the message at the field and the input kept', async () => {
    const response = await physician.get('/cme/transcript?from=2026-12-31&to=2026-01-01').expect(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('There is a problem');
    expect(page).toContain('<a href="#transcript-to">Enter an end date on or after the start date.</a>');
    expect(page).toContain('value="2026-12-31"');
    expect(page).toContain('value="2026-01-01"');
    const wrong = decodeHtml((await physician.get('/cme/transcript?from=2026-02-30').expect(400)).text);
    expect(wrong).toContain('Enter the start date as a real date, like 2026-03-05.');
    expect(wrong).toContain('value="2026-02-30"');
    await physician.get('/cme/transcript.csv?from=soon').expect(400);
  });

  it('when the CSV is downloaded, then it has the documented columns and one row per certificate in range', async () => {
    const response = await physician.get(`/cme/transcript.csv?${range}`).expect(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="cme-transcript-2026-01-01-to-2026-12-31.csv"',
    );
    const lines = response.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'Completion date,Activity,Activity version,Provider,ACCME activity ID,Credit type,Credits,Certificate number,Status,Revoked on,Reissue of',
    );
    expect(lines).toHaveLength(5);
    expect(lines).toContain(
      `2026-03-05,Stress First Aid for Clinical Teams,1,Mercy Health CME,202612345,AMA PRA Category 1 Credit™,1.25,${lateEvening.number},valid,,`,
    );
    expect(lines).toContain(
      `2026-04-10,Second Victim Support,1,Mercy Health CME,202612345,AMA PRA Category 1 Credit™,2.00,${revoked.number},revoked,2026-04-12,`,
    );
    expect(lines).toContain(
      `2026-04-10,Second Victim Support,1,Mercy Health CME,202612345,AMA PRA Category 1 Credit™,1.50,${reissued.number},valid,,${revoked.number}`,
    );
    expect(response.text).not.toContain(anccClaim.number);
  });

  it('when the PDF is downloaded, then it lists each certificate with the Chicago dates, marks the revoked one and totals the rest', async () => {
    const response = await getPdf(physician, `/cme/transcript.pdf?${range}`).expect(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(response.body as Buffer);
    expect(text).toContain('CME transcript');
    expect(text).toContain('Dr. Priya Raman');
    expect(text).toContain('Completion dates January 1, 2026 – December 31, 2026');
    expect(text).toContain('America/Chicago');
    expect(text).toContain('March 5, 2026');
    expect(text).not.toContain('March 6, 2026');
    expect(text).toContain('Stress First Aid for Clinical Teams');
    expect(text).toContain(`Certificate ${lateEvening.number}`);
    expect(text).toContain('REVOKED');
    expect(text).toContain(`Reissue of ${revoked.number}`);
    expect(text).toContain('AMA PRA Category 1 Credit™ 3.75');
    expect(text).not.toContain(anccClaim.number);
  });

  it('when no range is given, then the transcript covers this calendar year up to today', async () => {
    const page = decodeHtml((await physician.get('/cme/transcript').expect(200)).text);
    expect(page).toContain('value="2026-01-01"');
    expect(page).toContain(lateEvening.number);
  });

  it('when a nurse downloads her transcript, then only her own certificates are in it', async () => {
    const response = await nurse.get(`/cme/transcript.csv?${range}`).expect(200);
    expect(response.text).toContain(nurseClaim.number);
    expect(response.text).toContain('ANCC contact hours,2.00');
    expect(response.text).not.toContain(lateEvening.number);
  });
});
