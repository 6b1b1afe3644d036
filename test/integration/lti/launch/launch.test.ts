import request from 'supertest';
import { EnrollmentModel } from '../../../../src/tenancy/enrollment.model';
import { TenantModel } from '../../../../src/tenancy/tenant.model';
import { UserModel } from '../../../../src/tenancy/user.model';
import { launchAs, setCookies, storedCounts, useTestRounds, withBrokenSignature } from '../../../support';

const rounds = useTestRounds();

/** The records a launch creates (a refused one may still use up its login state and add to the audit). */
async function launchRecords() {
  const { users, tenants, courses, enrollments, sessions } = await storedCounts();
  return { users, tenants, courses, enrollments, sessions };
}

describe('launching Rounds from the sandbox LMS', () => {
  it.each([
    ['nurse', 'Nora', 'Learner', 'Your learning'],
    ['physician', 'Priya', 'Learner', 'Your learning'],
    ['pharmacist', 'Marcus', 'Learner', 'Your learning'],
    ['mentor', 'Elena', 'Instructor', 'Cohorts and mentoring'],
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
    const users = await UserModel.find({ subject }).lean();
    expect(users).toHaveLength(1);
    expect(await EnrollmentModel.countDocuments({ userId: users[0]!._id })).toBe(1);
    expect(await TenantModel.countDocuments()).toBe(1);
  });

  it('when the id_token signature is tampered with, then the launch is refused with 401 and nothing is stored', async () => {
    const before = await launchRecords();
    const { launch } = await launchAs(rounds, 'physician', {
      tamper: (fields) => (fields.id_token = withBrokenSignature(fields.id_token!)),
    });
    expect(launch.status).toBe(401);
    expect(launch.text).toContain('could not be verified');
    expect(setCookies(launch)).not.toMatch(/rounds_session=/);
    expect(await launchRecords()).toEqual(before);
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
