import mongoose from 'mongoose';
import type { Cohort } from '../../../../src/cohorts/core';
import { rosterWritesFor } from '../../../../src/cohorts/core/cohort.roster';

const now = new Date('2026-05-04T15:00:00Z');
const id = () => new mongoose.Types.ObjectId();

function cohort(overrides: Partial<Cohort> = {}): Cohort {
  return {
    _id: id(),
    tenantId: id(),
    courseId: id(),
    name: 'Night-shift mentoring',
    description: '',
    kind: 'mentoring',
    timeZone: 'America/Chicago',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    capacityPerMentor: 3,
    moduleSlugs: [],
    groundRules: '',
    rosterMode: 'course',
    archived: false,
    ...overrides,
  } as Cohort;
}

/** What each write does, in words a test can compare. */
function described(writes: ReturnType<typeof rosterWritesFor>) {
  return writes.map((write) => {
    const { filter, update, upsert } = (
      write as {
        updateOne: {
          filter: { userId: unknown };
          update: Record<string, Record<string, unknown>>;
          upsert?: boolean;
        };
      }
    ).updateOne;
    if (upsert) return { userId: String(filter.userId), joins: update.$setOnInsert!.role };
    if (update.$set!.active === false) return { userId: String(filter.userId), leaves: update.$set!.leftAt };
    return { userId: String(filter.userId), returns: true };
  });
}

describe('bringing a cohort in line with its course roster', () => {
  const learner = id();
  const instructor = id();
  const enrollments = [
    { userId: learner, role: 'learner', active: true },
    { userId: instructor, role: 'instructor', active: true },
  ];

  it('when a course-mode mentoring cohort meets an active learner, then they join as a mentee; an instructor never does', () => {
    expect(described(rosterWritesFor(cohort(), [], enrollments, now))).toEqual([
      { userId: String(learner), joins: 'mentee' },
    ]);
  });

  it('when the cohort is a peer circle, then learners join as members', () => {
    expect(described(rosterWritesFor(cohort({ kind: 'peer-circle' }), [], enrollments, now))).toEqual([
      { userId: String(learner), joins: 'member' },
    ]);
  });

  it('when the cohort is manual, has ended, or is archived, then nobody new joins', () => {
    for (const closed of [
      cohort({ rosterMode: 'manual' }),
      cohort({ endDate: '2026-05-03' }),
      cohort({ archived: true }),
    ]) {
      expect(rosterWritesFor(closed, [], enrollments, now)).toEqual([]);
    }
  });

  it('when a member’s enrollment has ended, then they become inactive with the date they left, in any roster mode', () => {
    const members = [{ userId: learner, active: true, removedByHand: false }];
    const left = [{ userId: learner, role: 'learner', active: false }];
    for (const mode of ['course', 'manual'] as const) {
      expect(described(rosterWritesFor(cohort({ rosterMode: mode }), members, left, now))).toEqual([
        { userId: String(learner), leaves: now },
      ]);
    }
  });

  it('when someone who left is enrolled again, then they are back; when an instructor removed them by hand, they stay out', () => {
    const returned = [{ userId: learner, active: false, removedByHand: false, leftAt: now }];
    expect(described(rosterWritesFor(cohort(), returned, enrollments, now))).toEqual([
      { userId: String(learner), returns: true },
    ]);
    const removed = [{ userId: learner, active: false, removedByHand: true }];
    expect(rosterWritesFor(cohort(), removed, enrollments, now)).toEqual([]);
  });

  it('when a member is already active and enrolled, then nothing is written (their hand-set role stays)', () => {
    const members = [{ userId: learner, active: true, removedByHand: false }];
    expect(rosterWritesFor(cohort(), members, enrollments, now)).toEqual([]);
  });
});
