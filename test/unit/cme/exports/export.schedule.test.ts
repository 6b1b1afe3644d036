import {
  heartbeatDecision,
  JobStopped,
  settledOrStopped,
  spokenDuration,
  watchJob,
} from '../../../../src/cme/exports/export.schedule';

// The export worker's lease heartbeat (issue 14 review): a job keeps its lease only while it moves, so a hung job
// loses it (and its worker stops it) instead of renewing it for ever; no job runs past the longest allowed.

const leaseMs = 60_000;
const maxRunMs = 2 * 3600_000;
const startedAt = 1_000_000;
const decide = (
  now: number,
  progress: { entriesRead: number; bytes: number },
  lastMoved: { entriesRead: number; bytes: number; at: number },
) => heartbeatDecision({ now, startedAt, progress, lastMoved, leaseMs, maxRunMs });

describe('the lease heartbeat', () => {
  it('when entries were read or bytes stored since the last renewal, then the lease is renewed', () => {
    const last = { entriesRead: 1000, bytes: 50_000, at: startedAt + 20_000 };
    expect(decide(startedAt + 40_000, { entriesRead: 2000, bytes: 50_000 }, last)).toBe('renew');
    // Writing the end of a file (an Excel zip) reads nothing more but stores bytes.
    expect(decide(startedAt + 40_000, { entriesRead: 1000, bytes: 90_000 }, last)).toBe('renew');
  });

  it('when nothing moved since the last renewal, then the lease is not renewed, and after a whole lease the job is stopped', () => {
    const last = { entriesRead: 1000, bytes: 50_000, at: startedAt + 20_000 };
    const same = { entriesRead: 1000, bytes: 50_000 };
    expect(decide(startedAt + 40_000, same, last)).toBe('hold');
    expect(decide(startedAt + 79_999, same, last)).toBe('hold');
    expect(decide(startedAt + 80_000, same, last)).toBe('stalled');
    // Hung from the start: nothing read a lease after it began.
    expect(
      decide(startedAt + leaseMs, { entriesRead: 0, bytes: 0 }, { entriesRead: 0, bytes: 0, at: startedAt }),
    ).toBe('stalled');
  });

  it('when a job has run longer than the maximum, then it is stopped however well it moves', () => {
    const last = { entriesRead: 1000, bytes: 50_000, at: startedAt + maxRunMs - 10_000 };
    expect(decide(startedAt + maxRunMs + 1, { entriesRead: 9000, bytes: 900_000 }, last)).toBe('too-long');
    expect(decide(startedAt + maxRunMs, { entriesRead: 9000, bytes: 900_000 }, last)).toBe('renew');
  });

  it('says durations as people do', () => {
    expect(spokenDuration(maxRunMs)).toBe('2 hours');
    expect(spokenDuration(leaseMs)).toBe('60 seconds');
    expect(spokenDuration(5 * 60_000)).toBe('5 minutes');
    expect(spokenDuration(1000)).toBe('1 second');
  });
});

describe('a job in hand, watched', () => {
  /** Watches a job with a short lease; `moves` says whether its progress changes between heartbeats. */
  function watched(moves: boolean, lease = 90) {
    const controller = new AbortController();
    const renewals: Date[] = [];
    let read = 0;
    const timer = watchJob({
      startedAt: Date.now(),
      leaseMs: lease,
      maxRunMs: 60_000,
      progress: () => ({ entriesRead: moves ? (read += 1000) : 0, bytes: 0 }),
      renew: async (until) => {
        renewals.push(until);
        return true;
      },
      stop: (reason) => controller.abort(reason),
      onError: () => undefined,
    });
    return { controller, renewals, timer };
  }

  it('when the job hangs (nothing read, nothing written), then its lease is never renewed and the worker lets go of it after a lease', async () => {
    const { controller, renewals, timer } = watched(false);
    const hung = new Promise<never>(() => undefined);
    try {
      await expect(settledOrStopped(hung, controller.signal)).rejects.toMatchObject({
        outcome: 'retry',
        reason: 'Rounds stopped the job: it read and wrote nothing for 0 seconds.',
      });
      expect(renewals).toHaveLength(0);
      expect(controller.signal.reason).toBeInstanceOf(JobStopped);
    } finally {
      clearInterval(timer);
    }
  });

  it('when the job keeps reading, then its lease is renewed at each heartbeat and it is not stopped', async () => {
    const { controller, renewals, timer } = watched(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    clearInterval(timer);
    expect(renewals.length).toBeGreaterThanOrEqual(3);
    expect(controller.signal.aborted).toBe(false);
  });
});
