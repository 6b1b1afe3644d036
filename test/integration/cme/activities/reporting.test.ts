import { findActivityVersion } from '../../../../src/cme/activities';
import { CmeActivityModel } from '../../../../src/cme';
import { TenantModel } from '../../../../src/tenancy';
import { adminAgent, csrfTokenOf, decodeHtml, useTestRounds, type Agent } from '../../../support';

const rounds = useTestRounds();
const listPath = '/cme/admin/activities';
let admin: Agent;
let tenantId: string;

beforeAll(async () => {
  admin = await adminAgent(rounds);
  const tenant = await TenantModel.findOne({
    issuer: rounds.sandbox!.issuer,
    clientId: rounds.sandbox!.clientId,
  });
  tenantId = String(tenant!._id);
});

/** A nurses' activity as an admin fills the form in (ANCC hours, a post-test, one planner), with its reporting ids. */
function nursingFields(title: string, overrides: Record<string, string> = {}) {
  return {
    title,
    format: 'enduring',
    providerName: 'Mercy Health CME',
    accreditation: 'joint',
    accreditationStatement: 'In support of improving patient care, Mercy Health CME is jointly accredited.',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    accmeActivityId: '20265678',
    ceBrokerProviderNumber: '50-1234',
    ceBrokerCourseNumber: '20-987654',
    'designation.ancc.designated': 'yes',
    'designation.ancc.maximum': '1.5',
    'designation.ancc.statement':
      'Mercy Health CME designates this activity for a maximum of 1.5 ANCC contact hours.',
    passPercent: '80',
    'postTest.0.text': 'When should a handover happen?',
    'postTest.0.option.0': 'Before the shift ends',
    'postTest.0.option.1': 'Never',
    'postTest.0.correct': '0',
    evaluationRequired: 'yes',
    'evaluation.0.text': 'The activity met its stated learning objectives.',
    'evaluation.0.kind': 'scale',
    'disclosure.0.name': 'Dr. Ana Li',
    'disclosure.0.role': 'planner',
    ...overrides,
  };
}

async function post(formPath: string, action: string, fields: Record<string, string> = {}) {
  const csrf = csrfTokenOf((await admin.get(formPath).expect(200)).text);
  return admin
    .post(action)
    .type('form')
    .set('Accept', 'text/html')
    .send(new URLSearchParams({ _csrf: csrf, ...fields }).toString());
}

async function createThroughForm(title: string, overrides: Record<string, string> = {}) {
  const created = await post(`${listPath}/new`, `${listPath}/new`, nursingFields(title, overrides));
  expect(created.status).toBe(303);
  return /\/cme\/admin\/activities\/([a-z0-9-]+)\?done=created$/.exec(created.headers.location!)![1]!;
}

describe('CE Broker provider and course numbers on an activity', () => {
  it('when the admin opens the new-activity form, then both numbers sit with the ACCME activity ID, labelled', async () => {
    const page = decodeHtml((await admin.get(`${listPath}/new`).expect(200)).text);
    const reporting = page.slice(page.indexOf('<legend>Reporting identifiers</legend>'));
    expect(reporting).toContain('<label for="accmeActivityId">ACCME activity ID (optional)</label>');
    expect(reporting).toContain(
      '<label for="ceBrokerProviderNumber">CE Broker provider number (optional)</label>',
    );
    expect(reporting).toContain(
      '<label for="ceBrokerCourseNumber">CE Broker course number (optional)</label>',
    );
  });

  it('when saved and published, then the activity page shows them, and a new version carries them over', async () => {
    const key = await createThroughForm('Safe handovers for nurses');
    const draft = await findActivityVersion(tenantId, key);
    expect(draft).toMatchObject({ ceBrokerProviderNumber: '50-1234', ceBrokerCourseNumber: '20-987654' });
    expect(decodeHtml((await admin.get(`${listPath}/${key}`).expect(200)).text)).toContain(
      'value="20-987654"',
    );

    expect((await post(`${listPath}/${key}`, `${listPath}/${key}/publish`)).status).toBe(303);
    const shown = decodeHtml((await admin.get(`${listPath}/${key}`).expect(200)).text);
    expect(shown).toContain('<dt>CE Broker provider number</dt><dd>50-1234</dd>');
    expect(shown).toContain('<dt>CE Broker course number</dt><dd>20-987654</dd>');

    expect((await post(`${listPath}/${key}`, `${listPath}/${key}/new-version`)).status).toBe(303);
    expect(await findActivityVersion(tenantId, key)).toMatchObject({
      version: 2,
      status: 'draft',
      ceBrokerProviderNumber: '50-1234',
      ceBrokerCourseNumber: '20-987654',
    });
    const copy = decodeHtml((await admin.get(`${listPath}/${key}`).expect(200)).text);
    expect(copy).toContain('value="50-1234"');
  });

  it('when a number has other characters or is too long, then 400 at its field, everything typed kept, nothing saved', async () => {
    const tooLong = 'A'.repeat(41);
    const response = await post(
      `${listPath}/new`,
      `${listPath}/new`,
      nursingFields('Refused numbers', {
        ceBrokerProviderNumber: '50 1234/x',
        ceBrokerCourseNumber: tooLong,
      }),
    );
    expect(response.status).toBe(400);
    const page = decodeHtml(response.text);
    expect(page).toContain(
      'Enter the CE Broker provider number with letters, digits and dashes only (at most 40), or leave it empty.',
    );
    expect(page).toContain('href="#ceBrokerProviderNumber"');
    expect(page).toMatch(/id="ceBrokerProviderNumber"[^>]*aria-invalid="true"/);
    expect(page).toContain('Keep the CE Broker course number under 40 characters.');
    expect(page).toContain('href="#ceBrokerCourseNumber"');
    expect(page).toContain('value="50 1234/x"');
    expect(page).toContain(`value="${tooLong}"`);
    expect(page).toContain('value="Refused numbers"');
    expect(await CmeActivityModel.exists({ tenantId, title: 'Refused numbers' })).toBeNull();
  });

  it('when left empty, then the draft saves without them and the page does not show them', async () => {
    const key = await createThroughForm('No CE Broker yet', {
      ceBrokerProviderNumber: '',
      ceBrokerCourseNumber: '',
    });
    expect(await findActivityVersion(tenantId, key)).toMatchObject({
      ceBrokerProviderNumber: '',
      ceBrokerCourseNumber: '',
    });
    expect((await post(`${listPath}/${key}`, `${listPath}/${key}/publish`)).status).toBe(303);
    expect(decodeHtml((await admin.get(`${listPath}/${key}`).expect(200)).text)).not.toContain(
      'CE Broker provider number',
    );
  });
});
