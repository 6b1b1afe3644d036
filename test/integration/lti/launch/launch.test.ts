import request from 'supertest';
import type { Rounds } from '../../src/runtime';
import { SessionModel } from '../../src/shared/auth/session.model';
import { EnrollmentModel } from '../../src/tenancy/enrollment.model';
import { TenantModel } from '../../src/tenancy/tenant.model';
import { UserModel } from '../../src/tenancy/user.model';
import { launchAs } from '../support/launch';
import { startTestRounds } from '../support/rounds';

let rounds: Rounds;

function setCookies(response: { headers: Record<string, unknown> }): string {
  return ([] as string[]).concat((response.headers['set-cookie'] as string[] | undefined) ?? []).join(';');
}

/** How many records of each kind a launch could create. */
async function storedCounts() {
  return {
    users: await UserModel.countDocuments(),
    tenants: await TenantModel.countDocuments(),
    enrollments: await EnrollmentModel.countDocuments(),
    sessions: await SessionModel.countDocuments(),
  };
}

beforeAll(async () => {
  rounds = await startTestRounds();
});

afterAll(async () => {
  await rounds.close();
});

describe('launching Rounds from the sandbox LMS', () => {
  it.each([
    ['nurse', 'Nora', 'Learner', 'Your learning'],
    ['physician', 'Priya', 'Learner', 'Your learning'],
    ['pharmacist', 'Marcus', 'Learner', 'Your learning'],
    ['mentor', 'Elena', 'Mentor', 'Your mentees'],
    ['cmeAdmin', 'Sam', 'Administrator', 'Administration'],
  ] as const)(
    'when the %s launches, then the home page greets them by name as %s',
    async (person, name, role, section) => {
      const { agent, launch } = await launchAs(rounds, person);
      expect(launch.status).toBe(303);
      expect(launch.headers.location).toBe('/home');
      expect(setCookies(launch)).toMatch(/rounds_session=/);

      const home = await agent.get('/home').expect(200);
      expect(home.text).toContain(`Welcome, ${name}`);
      expect(home.text).toContain(`>${role}</strong>`);
      expect(home.text).toContain(section);
      expect(home.text).toContain('Clinician Well-being');
      // Only administrators are shown the way to the platforms and the outbox of grades and rosters.
      const adminLinks = ['href="/admin/platforms"', 'href="/admin/outbox"'];
      for (const link of adminLinks) expect(home.text.includes(link)).toBe(role === 'Administrator');
    },
  );

  it('when the same person launches twice, then one user and one enrollment exist', async () => {
    await launchAs(rounds, 'nurse');
    await launchAs(rounds, 'nurse');
    const subject = rounds.sandbox!.people.find((p) => p.key === 'nurse')!.userId;
    // Other test files on this worker's database launch from sandboxes of their own (other issuers).
    const tenant = await TenantModel.findOne({ issuer: rounds.sandbox!.issuer }).lean();
    const users = await UserModel.find({ tenantId: tenant!._id, subject }).lean();
    expect(users).toHaveLength(1);
    expect(await EnrollmentModel.countDocuments({ userId: users[0]!._id })).toBe(1);
    expect(await TenantModel.countDocuments({ issuer: rounds.sandbox!.issuer })).toBe(1);
  });

  it('when the id_token signature is tampered with, then the launch is refused with 401 and nothing is stored', async () => {
    const before = await storedCounts();
    const { launch } = await launchAs(rounds, 'physician', {
      tamper: (fields) => {
        const [header, payload, signature] = fields.id_token!.split('.');
        const flipped = signature!.startsWith('A') ? 'B' + signature!.slice(1) : 'A' + signature!.slice(1);
        fields.id_token = [header, payload, flipped].join('.');
      },
    });
    expect(launch.status).toBe(401);
    expect(launch.text).toContain('could not be verified');
    expect(setCookies(launch)).not.toMatch(/rounds_session=/);
    expect(await storedCounts()).toEqual(before);
  });

  it('when the id_token payload is altered (a different user), then the launch is refused with 401', async () => {
    const { launch } = await launchAs(rounds, 'nurse', {
      tamper: (fields) => {
        const [header, payload, signature] = fields.id_token!.split('.');
        const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
        claims.sub = '999';
        fields.id_token = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join(
          '.',
        );
      },
    });
    expect(launch.status).toBe(401);
    expect(await UserModel.countDocuments({ subject: '999' })).toBe(0);
  });

  it('when someone opens /home without launching, then they get a 401 page telling them to open Rounds from the LMS', async () => {
    const response = await request(rounds.url).get('/home').set('Accept', 'text/html');
    expect(response.status).toBe(401);
    expect(response.text).toContain('open Rounds from your course');
  });
});
