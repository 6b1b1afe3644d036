import request from 'supertest';
import { AuditCountModel } from '../../../src/shared/audit/audit.model';
import { startOfHour } from '../../../src/shared/audit/audit.service';
import { sweepExpired } from '../../../src/shared/sweeper';
import { auditAddedSince, auditKey, auditTotals, sandboxInitiation, useTestRounds } from '../../support';

const dayMs = 24 * 3_600_000;
const rounds = useTestRounds({ auditRetentionDays: 2 });

/** A login for the sandbox nurse that Rounds refuses, changed by `changes`. */
function refusedLogin(changes: Record<string, string>) {
  return request(rounds.url).get(sandboxInitiation(rounds, changes)).expect(400);
}

/** The sandbox LMS's counts for `reason`. */
function countsFor(reason: string) {
  return AuditCountModel.find({ reason, issuer: rounds.sandbox!.issuer }).lean();
}

describe('the refusal audit, rolled up per reason, LMS and hour', () => {
  it('when the same refusal happens five times, then one document counts five for that hour and holds nothing else', async () => {
    const started = new Date();
    for (let i = 0; i < 5; i += 1) await refusedLogin({ target_link_uri: 'https://evil.example/steal' });
    const counts = await countsFor('login_foreign_target');
    expect(counts).toHaveLength(1);
    const hour = startOfHour(started);
    expect(counts[0]).toEqual({
      _id: expect.anything(),
      type: 'lti.login_refused',
      reason: 'login_foreign_target',
      issuer: rounds.sandbox!.issuer,
      clientId: rounds.sandbox!.clientId,
      hour,
      count: 5,
      expiresAt: new Date(hour.getTime() + 2 * dayMs),
    });
  });

  it('when twenty refusals arrive at once, then they add twenty to one document (no lost or duplicate counts)', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () => refusedLogin({ lti_deployment_id: 'deployment-nobody-registered' })),
    );
    const counts = await countsFor('login_unknown_deployment');
    expect(counts.map((row) => row.count)).toEqual([20]);
  });

  it('when refusals name made-up LMSs, then they are counted together without the names they claimed', async () => {
    const unnamed = { reason: 'login_unknown_platform', issuer: '', clientId: '' };
    const documents = await AuditCountModel.countDocuments(unnamed);
    const audit = await auditTotals();
    for (let i = 0; i < 4; i += 1) await refusedLogin({ iss: `https://made-up-${i}.example` });
    expect(await auditAddedSince(audit)).toEqual({
      [auditKey('lti.login_refused', 'login_unknown_platform')]: 4,
    });
    expect(await AuditCountModel.countDocuments(unnamed)).toBeLessThanOrEqual(documents + 1);
  });

  it('when an hour is older than the configured retention, then the sweeper deletes its counts, and not before', async () => {
    await refusedLogin({ target_link_uri: 'https://evil.example/steal' });
    const ours = { issuer: rounds.sandbox!.issuer };
    const kept = await AuditCountModel.find(ours).lean();
    expect(kept.length).toBeGreaterThan(0);
    const expires = Math.min(...kept.map((count) => count.hour.getTime())) + 2 * dayMs;
    await sweepExpired(new Date(expires - 1000));
    expect(await AuditCountModel.countDocuments(ours)).toBe(kept.length);
    await sweepExpired(new Date(expires + 3_600_000));
    expect(await AuditCountModel.countDocuments(ours)).toBe(0);
  });

  it('when Rounds runs on real MongoDB, then a TTL index expires the counts and a unique index keeps one per hour', async () => {
    const indexes = await AuditCountModel.collection.indexes();
    expect(indexes).toContainEqual(expect.objectContaining({ key: { expiresAt: 1 }, expireAfterSeconds: 0 }));
    expect(indexes).toContainEqual(
      expect.objectContaining({
        key: { type: 1, reason: 1, issuer: 1, clientId: 1, hour: 1 },
        unique: true,
      }),
    );
  });
});
