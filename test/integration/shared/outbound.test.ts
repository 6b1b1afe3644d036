import { loadConfig } from '../../../src/config';
import { submitGrade } from '../../../src/lti/services/grades.service';
import { startLmsServices, type OutboxWorker } from '../../../src/lti/services/outbox.runtime';
import { PlatformModel } from '../../../src/lti/registration/platform.model';
import { recordResourceLink } from '../../../src/lti/services/resourceLink.service';
import {
  isInternalAddress,
  outboundRequest,
  useAddressPolicy,
  type ResolveHost,
} from '../../../src/shared/http/outbound';
import { createLogger } from '../../../src/shared/logger';
import { CourseModel } from '../../../src/tenancy/course.model';
import { TenantModel } from '../../../src/tenancy/tenant.model';
import { UserModel } from '../../../src/tenancy/user.model';
import {
  answerJson,
  jobReaches,
  startFarEnd,
  testDatabaseUri,
  useTestDatabase,
  type FarEnd,
} from '../../support';

// Rounds' one outbound HTTP client against real servers on 127.0.0.1. `allowPrivateAddresses: true` is how
// development and tests run (the sandbox LMS is on 127.0.0.1); without it, the production guard is on.
const dev = { allowPrivateAddresses: true } as const;
let lms: FarEnd;
let elsewhere: FarEnd;

beforeAll(async () => {
  elsewhere = await startFarEnd((_req, res) => res.end('{"secret":"from another origin"}'));
  lms = await startFarEnd((req, res) => {
    const url = new URL(String(req.url), 'http://x');
    if (url.pathname === '/to-elsewhere')
      return res.writeHead(302, { location: `${elsewhere.origin}/` }).end();
    if (url.pathname === '/to-self') return res.writeHead(307, { location: '/keys' }).end();
    if (url.pathname === '/big') return res.end('x'.repeat(Number(url.searchParams.get('bytes'))));
    if (url.pathname === '/big-streamed') {
      res.write('x'.repeat(600 * 1024));
      return setTimeout(() => res.end('x'.repeat(600 * 1024)), 20).unref();
    }
    if (url.pathname === '/declared-huge') {
      return res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).write('x');
    }
    if (url.pathname === '/slow') return setTimeout(() => res.end('late'), 2000).unref();
    if (url.pathname === '/stall') return res.write('{"keys": [');
    if (url.pathname === '/html') return res.end('<html>internal wiki: salaries</html>');
    answerJson(res, { keys: [], method: req.method });
  });
});

afterAll(async () => {
  await Promise.all([lms.close(), elsewhere.close()]);
});

describe('redirects', () => {
  it('when a server redirects to another origin, then the call fails and the other origin is never asked, however many redirects are allowed', async () => {
    await expect(
      outboundRequest(`${lms.origin}/to-elsewhere`, { ...dev, maxRedirects: 5 }),
    ).rejects.toMatchObject({ kind: 'redirect', message: expect.stringContaining('another site') });
    expect(elsewhere.hits).toEqual([]);
  });

  it('when a server redirects within its own origin, then the call follows only if the caller allows redirects', async () => {
    await expect(outboundRequest(`${lms.origin}/to-self`, dev)).rejects.toMatchObject({ kind: 'redirect' });
    const followed = await outboundRequest(`${lms.origin}/to-self`, { ...dev, maxRedirects: 1 });
    expect([followed.status, followed.url]).toEqual([200, `${lms.origin}/keys`]);
  });
});

describe('size and time', () => {
  it.each([
    ['a body over the 1 MiB default', '/big?bytes=1048577', {}],
    ['a streamed body over the 1 MiB default', '/big-streamed', {}],
    ['a body over the cap the call sets', '/big?bytes=2000', { maxBytes: 1000 }],
    // A declared length over the cap is refused at once, without waiting for a body that may never come.
    ['a declared length over the cap, its body never sent', '/declared-huge', { timeoutMs: 2000 }],
  ])('when the answer is %s, then the call fails instead of reading it', async (_what, path, options) => {
    await expect(outboundRequest(`${lms.origin}${path}`, { ...dev, ...options })).rejects.toMatchObject({
      kind: 'too_large',
    });
  });

  it('when the call raises the cap, then a streamed answer under it is read in full', async () => {
    const allowed = await outboundRequest(`${lms.origin}/big-streamed`, {
      ...dev,
      maxBytes: 2 * 1024 * 1024,
    });
    expect(allowed.text()).toHaveLength(1200 * 1024);
  });

  it('when a server is slow to answer, or stalls halfway through its body, then the call times out', async () => {
    const started = Date.now();
    await expect(outboundRequest(`${lms.origin}/slow`, { ...dev, timeoutMs: 200 })).rejects.toMatchObject({
      kind: 'timeout',
    });
    await expect(outboundRequest(`${lms.origin}/stall`, { ...dev, timeoutMs: 200 })).rejects.toMatchObject({
      kind: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('when a server answers something that is not JSON, then json() fails without quoting it', async () => {
    const response = await outboundRequest(`${lms.origin}/html`, dev);
    expect(() => response.json()).toThrow(expect.objectContaining({ kind: 'not_json' }));
    expect(() => response.json()).not.toThrow(/salaries/);
  });
});

describe('the private-address guard (production)', () => {
  const loopbackUrls: [string, (port: number) => string][] = [
    ['IPv4 loopback', (port) => `http://127.0.0.1:${port}/keys`],
    ['IPv6 loopback', (port) => `http://[::1]:${port}/keys`],
    ['IPv4-mapped IPv6 loopback', (port) => `http://[::ffff:127.0.0.1]:${port}/keys`],
    ['a name that resolves to loopback', (port) => `http://localhost:${port}/keys`],
  ];

  it.each(loopbackUrls)(
    'when the URL is %s, then the call is refused before connecting',
    async (_what, urlFor) => {
      const before = lms.hits.length;
      await expect(outboundRequest(urlFor(lms.port))).rejects.toMatchObject({
        kind: 'blocked_address',
        message: expect.stringContaining('private or local address'),
      });
      expect(lms.hits.length).toBe(before);
    },
  );

  // The same calls are made in development and tests, where the sandbox LMS lives on 127.0.0.1 (the test's
  // server listens on IPv4 only, so the IPv6 spellings have nothing to reach).
  it.each(loopbackUrls.filter(([, urlFor]) => !urlFor(0).includes('[')))(
    'when the URL is %s outside production, then the call reaches it',
    async (_what, urlFor) => {
      expect((await outboundRequest(urlFor(lms.port), dev)).status).toBe(200);
    },
  );

  it('when a host name resolves to a private address, or to a public and a private one, then the call is refused and nothing connects', async () => {
    const before = lms.hits.length;
    for (const addresses of [['10.0.0.5'], ['93.184.215.14', '172.16.0.9'], ['::ffff:169.254.169.254']]) {
      const resolveHost: ResolveHost = async () =>
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
      await expect(
        outboundRequest(`http://lms.example:${lms.port}/keys`, { policy: { resolveHost } }),
      ).rejects.toMatchObject({ kind: 'blocked_address' });
    }
    expect(lms.hits.length).toBe(before);
  });

  it('when DNS answers a public address first and a private one after (rebinding), then it is asked once per call and the connection goes to the address it checked', async () => {
    // 127.0.0.1 stands in for a public address here (the test's server lives there); 10.0.0.1 is private.
    const isBlockedAddress = (address: string) => address !== '127.0.0.1' && isInternalAddress(address);
    const answers: string[] = [];
    const resolveHost: ResolveHost = async () => {
      const address = answers.length === 0 ? '127.0.0.1' : '10.0.0.1';
      answers.push(address);
      return [{ address, family: 4 }];
    };
    const before = lms.hits.length;
    const first = await outboundRequest(`http://rebinding.example:${lms.port}/keys`, {
      policy: { resolveHost, isBlockedAddress },
    });
    expect(first.status).toBe(200);
    expect(answers).toEqual(['127.0.0.1']);
    expect(lms.hits.length).toBe(before + 1);
    // The next call resolves afresh, gets the private answer, and is refused.
    await expect(
      outboundRequest(`http://rebinding.example:${lms.port}/keys`, {
        policy: { resolveHost, isBlockedAddress },
      }),
    ).rejects.toMatchObject({ kind: 'blocked_address' });
    expect(lms.hits.length).toBe(before + 1);
  });
});

describe('the outbox in production', () => {
  const issuer = 'https://far-end-lms.example';
  const config = loadConfig({ port: 0, mongodbUri: testDatabaseUri() });
  let farEnd: FarEnd;
  let worker: OutboxWorker | undefined;
  let tenantId: string;
  let courseId: string;
  let userId: string;

  useTestDatabase();

  beforeAll(async () => {
    farEnd = await startFarEnd((req, res) =>
      answerJson(res, req.url === '/token' ? { access_token: 'far-end-token', expires_in: 3600 } : {}),
    );
    await PlatformModel.create({
      issuer,
      clientId: 'far-client',
      name: 'Far-end LMS',
      deploymentIds: ['d1'],
      authUrl: `${issuer}/auth`,
      tokenUrl: `${farEnd.origin}/token`,
      jwksUrl: `${issuer}/jwks`,
    });
    const tenant = await TenantModel.findOneAndUpdate(
      { issuer, clientId: 'far-client', deploymentId: 'd1' },
      {},
      { upsert: true, new: true },
    );
    tenantId = String(tenant._id);
    courseId = String((await CourseModel.create({ tenantId, contextId: 'c-1' }))._id);
    userId = String((await UserModel.create({ tenantId, subject: '42' }))._id);
  });

  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
  });

  afterAll(async () => {
    await farEnd.close();
  });

  /** A grade for an activity whose line item is `lineItemUrl`, sent by a worker running with `env`. */
  async function gradeThrough(env: 'production' | 'test', lineItemUrl: string): Promise<string> {
    const resourceLinkId = `link-${env}-${farEnd.hits.length}-${Date.now()}`;
    await recordResourceLink(tenantId, courseId, {
      resourceLink: { id: resourceLinkId, title: 'Reflection' },
      ags: { scopes: ['https://purl.imsglobal.org/spec/lti-ags/scope/score'], lineItemUrl },
    });
    worker = await startLmsServices({ ...config, env }, createLogger('silent'));
    const { jobId } = await submitGrade({
      tenantId,
      courseId,
      userId,
      resourceLinkId,
      scoreGiven: 1,
      scoreMaximum: 2,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      attemptId: resourceLinkId,
    });
    return jobId;
  }

  it('when the platform’s token URL is on a private address, then a production worker parks the grade with Rounds’ reason and never calls it', async () => {
    const jobId = await gradeThrough('production', `${farEnd.origin}/lineitems/1/lineitem`);
    const job = await jobReaches(jobId, 'parked');
    expect(job.parkedReason).toBe(
      'Rounds stopped asking for an access token: 127.0.0.1 is on a private or local address, which Rounds does not call.',
    );
    expect(farEnd.hits).toEqual([]);
  });

  it('when the token URL is public but the line item URL resolves to a private address, then the score is not sent', async () => {
    // 127.0.0.1 (the far end) stands in for a public address; ags.example resolves to a private one.
    const restore = useAddressPolicy({
      isBlockedAddress: (address) => address !== '127.0.0.1' && isInternalAddress(address),
      resolveHost: async () => [{ address: '10.20.30.40', family: 4 }],
    });
    try {
      const jobId = await gradeThrough(
        'production',
        `http://ags.example:${farEnd.port}/lineitems/1/lineitem`,
      );
      const job = await jobReaches(jobId, 'parked');
      expect(job.parkedReason).toBe(
        'Rounds stopped posting the score: ags.example is on a private or local address, which Rounds does not call.',
      );
      expect(farEnd.hits).toEqual(['/token']);
    } finally {
      restore();
    }
  });

  it('when the same grade is sent outside production, then the worker reaches the LMS on 127.0.0.1 (as the sandbox is)', async () => {
    const before = farEnd.hits.length;
    const jobId = await gradeThrough('test', `${farEnd.origin}/lineitems/1/lineitem`);
    expect((await jobReaches(jobId, 'sent')).outcome).toContain('sent to 127.0.0.1');
    expect(farEnd.hits.slice(before)).toEqual(['/token', '/lineitems/1/lineitem/scores']);
  });
});
