import request from 'supertest';
import { newCertificateNumber } from '../../../../src/cme';
import { TenantModel } from '../../../../src/tenancy';
import { decodeHtml, sandboxCourseIn, signedInAs, useTestRounds } from '../../../support';
import { seedActivity, seedClaim, seedRevocation } from './certificates.seed';

const rounds = useTestRounds();
let genuine: Awaited<ReturnType<typeof seedClaim>>;
let revoked: Awaited<ReturnType<typeof seedClaim>>;
let revocationNumber: string;
let reissuedNumber: string;

beforeAll(async () => {
  await signedInAs(rounds, 'physician');
  const course = await sandboxCourseIn(rounds);
  await TenantModel.updateOne({ _id: course.tenantId }, { timeZone: 'America/Chicago' });
  const userId = await course.userId('4');
  const activity = await seedActivity(course.tenantId);
  genuine = await seedClaim({
    tenantId: course.tenantId,
    userId,
    activity,
    amount: 1.25,
    completionDate: '2026-03-05',
    recordedAt: new Date('2026-03-06T05:30:00Z'),
  });
  const second = await seedActivity(course.tenantId, { title: 'Second Victim Support' });
  revoked = await seedClaim({
    tenantId: course.tenantId,
    userId,
    activity: second,
    completionDate: '2026-04-10',
  });
  // 02:00 UTC on April 13 is still April 12 in Chicago.
  const corrections = await seedRevocation(revoked, new Date('2026-04-13T02:00:00Z'), {
    amount: 1,
    at: new Date('2026-04-13T02:05:00Z'),
  });
  revocationNumber = corrections.revocation.number;
  reissuedNumber = corrections.reissued!.number;
});

/** Anyone on the internet: no session, no cookies. */
const publicly = () => request(rounds.url);

/** One character of a number changed for another valid one: what a typo does. */
function typoOf(number: string): string {
  const index = 5;
  const swapped = number[index] === 'A' ? 'B' : 'A';
  return number.slice(0, index) + swapped + number.slice(index + 1);
}

describe('the public verification page', () => {
  it('when anyone opens /verify, then it shows the number field with its label and no session is needed', async () => {
    const page = decodeHtml((await publicly().get('/verify').expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('<label for="certificate-number">Certificate number</label>');
  });

  it('when a genuine number is checked, then the learner, activity, completion date and credits are confirmed', async () => {
    const response = await publicly().get(`/verify/${genuine.number}`).expect(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['x-robots-tag']).toContain('noindex');
    const page = decodeHtml(response.text);
    expect(page).toContain('Genuine: this certificate was issued by Rounds');
    expect(page).toContain('Dr. Priya Raman');
    expect(page).toContain('Stress First Aid for Clinical Teams');
    expect(page).toContain('Mercy Health CME');
    expect(page).toContain('March 5, 2026');
    expect(page).not.toContain('March 6, 2026');
    expect(page).toContain('1.25 AMA PRA Category 1 Credits™');
    expect(page).not.toContain('Revoked');
  });

  it('when the number is typed from paper (lower case, spaces), then the form leads to the same certificate', async () => {
    const typed = genuine.number.toLowerCase().replace(/-/g, ' ');
    const response = await publicly().get('/verify').query({ number: typed }).expect(303);
    expect(response.headers.location).toBe(`/verify/${genuine.number}`);
  });

  it('when a revoked certificate is checked, then it is shown as revoked with the Chicago date; the reissue is valid', async () => {
    const page = decodeHtml((await publicly().get(`/verify/${revoked.number}`).expect(200)).text);
    expect(page).toContain('Revoked: this certificate is no longer valid');
    expect(page).toContain('Revoked on April 12, 2026');
    const reissue = decodeHtml((await publicly().get(`/verify/${reissuedNumber}`).expect(200)).text);
    expect(reissue).toContain('Genuine: this certificate was issued by Rounds');
    expect(reissue).toContain('1.00 AMA PRA Category 1 Credit™');
  });

  it('when one character is mistyped, then it is called a typo at the field, with the input kept', async () => {
    const typo = typoOf(genuine.number);
    const response = await publicly().get(`/verify/${typo}`).expect(400);
    const page = decodeHtml(response.text);
    expect(page).toContain('This looks like a typo');
    expect(page).toContain('href="#certificate-number"');
    expect(page).toContain(`value="${typo}"`);
    expect(page).not.toContain('Dr. Priya Raman');
    const fromForm = decodeHtml((await publicly().get('/verify').query({ number: typo }).expect(400)).text);
    expect(fromForm).toContain('This looks like a typo');
  });

  it('when a well-formed number no certificate has is checked, then the same neutral answer comes for any such number', async () => {
    const first = newCertificateNumber();
    const second = newCertificateNumber();
    const answers = await Promise.all(
      [first, second, revocationNumber].map(async (number) => {
        const response = await publicly().get(`/verify/${number}`).expect(404);
        return decodeHtml(response.text).replaceAll(number, 'NUMBER');
      }),
    );
    expect(answers[0]).toContain('No certificate has this number');
    expect(answers[1]).toBe(answers[0]);
    expect(answers[2]).toBe(answers[0]);
  });

  it('when the text is not a certificate number at all, then the page says how one looks', async () => {
    const page = decodeHtml((await publicly().get('/verify/hello').expect(400)).text);
    expect(page).toContain('Enter the certificate number as printed');
    const empty = decodeHtml((await publicly().get('/verify?number=').expect(400)).text);
    expect(empty).toContain('Enter the certificate number printed on the certificate.');
  });

  // Last: it spends this address's lookups for the minute.
  it('when one address checks numbers too fast, then it is told to wait (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    let refused: request.Response | undefined;
    for (let attempt = 0; attempt < 40 && !refused; attempt += 1) {
      const response = await publicly().get(`/verify/${newCertificateNumber()}`);
      statuses.push(response.status);
      if (response.status === 429) refused = response;
    }
    expect(statuses.slice(0, -1).every((status) => status === 404)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
