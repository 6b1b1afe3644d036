import type { ServerResponse } from 'node:http';
import { OutboxJobModel } from '../../../src/lti/services/outbox.model';
import { enqueueOutboxJob } from '../../../src/lti/services/outbox.service';
import { PlatformModel } from '../../../src/lti/registration/platform.model';
import { TenantModel } from '../../../src/tenancy/tenant.model';
import {
  adminAgent,
  gradeFor,
  jobReaches,
  openOutboxPage,
  outboxJob,
  sandboxCourseIn,
  signedInAs,
  startFarEnd,
  useTestRounds,
  type Agent,
  type FarEnd,
  type SandboxCourse,
} from '../../support';

// /admin/outbox as the sandbox tenant's administrator (tenant A), with a second hospital (tenant B) in the same
// installation, and an LMS endpoint that answers with a body the admin must never read.
const rounds = useTestRounds();
let admin: Agent;
let course: SandboxCourse;

beforeAll(async () => {
  await signedInAs(rounds, 'nurse');
  admin = await adminAgent(rounds);
  course = await sandboxCourseIn(rounds);
});

describe('what an LMS endpoint answered', () => {
  const distinctive = 'INTERNAL-SERVICE-7Q2X';
  let farEnd: FarEnd;
  let answer: (res: ServerResponse) => void;
  let sandboxTokenUrl: string;

  beforeAll(async () => {
    farEnd = await startFarEnd((_req, res) => answer(res));
    const platform = await PlatformModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
    sandboxTokenUrl = platform!.tokenUrl;
    // As the reviewer did: the tenant's token URL points at a service that is not an LMS.
    await PlatformModel.updateOne({ _id: platform!._id }, { $set: { tokenUrl: `${farEnd.origin}/token` } });
  });

  afterAll(async () => {
    await PlatformModel.updateOne(
      { issuer: rounds.sandbox!.issuer },
      { $set: { tokenUrl: sandboxTokenUrl } },
    );
    await farEnd.close();
  });

  it.each([
    [
      'a 403 with a JSON error message',
      (res: ServerResponse) =>
        res
          .writeHead(403, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: { message: `${distinctive} db password=hunter2` } })),
      'The LMS answered 403 when asking for an access token: the LMS does not allow Rounds to do this',
    ],
    [
      'a 200 with an HTML page',
      (res: ServerResponse) =>
        res.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>${distinctive} intranet wiki</h1>`),
      'The LMS did not answer with JSON when asking for an access token.',
    ],
    [
      'a 400 with an OAuth error whose description is the body of a private page',
      (res: ServerResponse) =>
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_scope', error_description: `${distinctive} salaries` })),
      'The LMS answered 400 when asking for an access token: the LMS did not grant the services Rounds asked for',
    ],
  ])(
    'when the token URL answers %s, then the parked job on /admin/outbox shows the status and Rounds’ reason, never the body',
    async (_what, respond, reason) => {
      answer = respond;
      const jobId = await gradeFor(course, '3');
      const parked = await jobReaches(jobId, 'parked');
      expect(parked.parkedReason).toContain(reason);
      expect(farEnd.hits.at(-1)).toBe('/token');

      const { html } = await openOutboxPage(admin);
      expect(html).toContain(reason);
      expect(html).not.toContain(distinctive);
      expect(JSON.stringify(await OutboxJobModel.find().lean())).not.toContain(distinctive);
    },
  );
});

describe('two hospitals in one installation', () => {
  let otherTenantId: string;
  let ownParked: string;
  let otherParked: string;

  /** A job of `tenantId`, parked with `reason`, as the worker leaves one the LMS refused. */
  async function parkedJob(tenantId: string, label: string, reason: string): Promise<string> {
    const { job } = await enqueueOutboxJob({
      tenantId,
      kind: 'grade',
      idempotencyKey: `admin-outbox:${label}`,
      payload: {},
      label,
    });
    await OutboxJobModel.updateOne(
      { _id: job._id },
      { $set: { status: 'parked', parkedReason: reason, parkedAt: new Date(), attempts: 3 } },
    );
    return String(job._id);
  }

  beforeAll(async () => {
    // No worker sends anything meanwhile: what changes, the admin's requests changed.
    await rounds.outbox.stop();
    const other = await TenantModel.create({
      issuer: 'https://lms.other-hospital.example',
      clientId: 'other-client',
      deploymentId: 'other-deployment',
      platformName: 'Other Hospital',
    });
    otherTenantId = String(other._id);
    ownParked = await parkedJob(course.tenantId, 'Own hospital grade', 'Own hospital reason');
    otherParked = await parkedJob(otherTenantId, 'Other hospital grade', 'Other hospital reason');
  });

  it('when an admin opens /admin/outbox, then only their own tenant’s jobs are listed and counted', async () => {
    const { html } = await openOutboxPage(admin);
    expect(html).toContain('Own hospital grade');
    expect(html).toContain(ownParked);
    expect(html).not.toContain('Other hospital');
    expect(html).not.toContain(otherParked);
    const ownCount = await OutboxJobModel.countDocuments({ tenantId: course.tenantId, status: 'parked' });
    expect(html).toContain(`Needs attention: <strong>${ownCount}</strong>`);
  });

  it('when an admin retries another tenant’s job by its id, then it is not found and the job stays parked', async () => {
    const { csrf } = await openOutboxPage(admin);
    const retry = await admin.post(`/admin/outbox/${otherParked}/retry`).type('form').send({ _csrf: csrf });
    expect(retry.status).toBe(404);
    expect(await outboxJob(otherParked)).toMatchObject({
      status: 'parked',
      attempts: 3,
      parkedReason: 'Other hospital reason',
    });
    const own = await admin.post(`/admin/outbox/${ownParked}/retry`).type('form').send({ _csrf: csrf });
    expect([own.status, (await outboxJob(ownParked)).status]).toEqual([303, 'pending']);
  });

  it('when an admin retries all that need attention, then only their own tenant’s parked jobs are requeued', async () => {
    await OutboxJobModel.updateOne({ _id: ownParked }, { $set: { status: 'parked', parkedReason: 'again' } });
    const { csrf } = await openOutboxPage(admin);
    const retryAll = await admin.post('/admin/outbox/retry-parked').type('form').send({ _csrf: csrf });
    expect([retryAll.status, retryAll.headers.location]).toEqual([303, '/admin/outbox?done=retried-all']);
    expect(await outboxJob(ownParked)).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await outboxJob(otherParked)).toMatchObject({ status: 'parked', attempts: 3 });
    expect(await OutboxJobModel.countDocuments({ tenantId: otherTenantId, status: 'parked' })).toBe(1);
  });
});
