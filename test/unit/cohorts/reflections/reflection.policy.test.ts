import mongoose from 'mongoose';
import type { CohortViewer } from '../../../../src/cohorts';
import {
  canGrade,
  canReadDraft,
  canReadSubmitted,
} from '../../../../src/cohorts/reflections/reflection.policy';

const id = () => String(new mongoose.Types.ObjectId());
const tenantId = id();
const courseId = id();
const cohort = {
  _id: new mongoose.Types.ObjectId(),
  tenantId: new mongoose.Types.ObjectId(tenantId),
  courseId: new mongoose.Types.ObjectId(courseId),
};
const mentee = id();
const mentor = id();
const scope = { cohort, menteeId: mentee, activeMentorIds: [mentor] };

const viewer = (userId: string, extra: Partial<CohortViewer> = {}): CohortViewer => ({
  tenantId,
  userId,
  name: 'Someone',
  courseRole: 'learner',
  courseId,
  ...extra,
});

describe('who reads and grades a reflection', () => {
  it.each([
    ['the mentee', viewer(mentee), { draft: true, submitted: true, grade: false }],
    ['her active mentor', viewer(mentor), { draft: false, submitted: true, grade: true }],
    ['another mentor of the cohort', viewer(id()), { draft: false, submitted: false, grade: false }],
    [
      'an instructor of the course',
      viewer(id(), { courseRole: 'instructor' }),
      { draft: false, submitted: true, grade: false },
    ],
    [
      'an instructor of another course',
      viewer(id(), { courseRole: 'instructor', courseId: id() }),
      { draft: false, submitted: false, grade: false },
    ],
    [
      'an administrator',
      viewer(id(), { courseRole: 'admin' }),
      { draft: false, submitted: true, grade: false },
    ],
    [
      'her mentor from another tenant',
      viewer(mentor, { tenantId: id() }),
      { draft: false, submitted: false, grade: false },
    ],
    [
      'her mentor as an external not granted this cohort',
      viewer(mentor, { grantedCohortIds: [id()] }),
      { draft: false, submitted: false, grade: false },
    ],
    [
      'her mentor as an external granted this cohort',
      viewer(mentor, { grantedCohortIds: [String(cohort._id)] }),
      { draft: false, submitted: true, grade: true },
    ],
  ])('when %s looks, then draft/submitted/grade are %j', (_who, who, expected) => {
    expect({
      draft: canReadDraft(who, scope),
      submitted: canReadSubmitted(who, scope),
      grade: canGrade(who, scope),
    }).toEqual(expected);
  });

  it('when the pair has ended, then the former mentor neither reads nor grades', () => {
    const ended = { ...scope, activeMentorIds: [] };
    expect(canReadSubmitted(viewer(mentor), ended)).toBe(false);
    expect(canGrade(viewer(mentor), ended)).toBe(false);
  });
});
