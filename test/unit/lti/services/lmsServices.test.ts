import { withPathSuffix } from '../../../../src/lti/services/ags.client';
import { nextLink } from '../../../../src/lti/services/nrps.client';
import { parseRetryAfter } from '../../../../src/lti/services/outbox.errors';
import { assertCanManageOutbox, assertCanSyncRoster } from '../../../../src/lti/services/outbox.policy';
import { retryDelayMilliseconds } from '../../../../src/lti/services/outbox.worker';
import type { Actor } from '../../../../src/shared/auth/actor';
import { ForbiddenError } from '../../../../src/shared/errors';

describe('Moodle service URLs', () => {
  it('when scores go to a Moodle line item, then /scores is added to the path and ?type_id stays the query', () => {
    expect(
      withPathSuffix(
        'https://moodle.example/mod/lti/services.php/2/lineitems/5/lineitem?type_id=1',
        '/scores',
      ),
    ).toBe('https://moodle.example/mod/lti/services.php/2/lineitems/5/lineitem/scores?type_id=1');
    expect(withPathSuffix('https://lms.example/items/5/', '/scores')).toBe(
      'https://lms.example/items/5/scores',
    );
  });

  it('when a roster page has a next page, then its Link header’s rel="next" is followed, whatever else it lists', () => {
    expect(nextLink('<https://lms.example/m?from=5&limit=5>; rel="next"')).toBe(
      'https://lms.example/m?from=5&limit=5',
    );
    expect(nextLink('<https://a.example/1>; rel="first", <https://a.example/3>; rel=next')).toBe(
      'https://a.example/3',
    );
    expect(nextLink('<https://a.example/9>; rel="last"')).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});

describe('retry timing', () => {
  const base = 1000;
  const max = 60_000;

  it('when attempts keep failing, then the delay doubles from the base up to the maximum, jittered within its upper half', () => {
    const low = (attempt: number) => retryDelayMilliseconds(attempt, { base, max, random: () => 0 });
    const high = (attempt: number) => retryDelayMilliseconds(attempt, { base, max, random: () => 1 });
    expect([1, 2, 3, 4].map(high)).toEqual([1000, 2000, 4000, 8000]);
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1000, 2000, 4000]);
    expect(high(30)).toBe(max);
  });

  it('when the LMS sends Retry-After, then Rounds waits at least that long, but never beyond its maximum', () => {
    expect(retryDelayMilliseconds(1, { base, max, retryAfterMs: 30_000, random: () => 0 })).toBe(30_000);
    expect(retryDelayMilliseconds(1, { base, max, retryAfterMs: 3_600_000 })).toBe(max);
    expect(parseRetryAfter('120')).toBe(120_000);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('who may use the outbox', () => {
  const actor = (role: Actor['role'], courseId = 'c1'): Actor => ({
    tenantId: 't1',
    userId: 'u1',
    courseId,
    role,
    name: 'Someone',
    courseTitle: 'A course',
  });

  it('when a learner or instructor opens the outbox, then they are refused; an admin is let in', () => {
    expect(() => assertCanManageOutbox(actor('learner'))).toThrow(/Only administrators/);
    expect(() => assertCanManageOutbox(actor('instructor'))).toThrow(/Only administrators/);
    expect(() => assertCanManageOutbox(actor('admin'))).not.toThrow();
  });

  it('when an instructor asks for a roster sync, then only their own course’s is allowed', () => {
    expect(() => assertCanSyncRoster(actor('instructor', 'c1'), 'c1')).not.toThrow();
    expect(() => assertCanSyncRoster(actor('instructor', 'c1'), 'c2')).toThrow(/instructors/);
    expect(() => assertCanSyncRoster(actor('learner', 'c1'), 'c1')).toThrow(ForbiddenError);
    expect(() => assertCanSyncRoster(actor('admin', 'c1'), 'c2')).not.toThrow();
  });
});
