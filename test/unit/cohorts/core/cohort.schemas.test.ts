import { canCreateCohort, mentorCapacity, type CohortViewer } from '../../../../src/cohorts/core';
import { cohortFormSchema, mentorCapacitySchema } from '../../../../src/cohorts/core/cohort.schemas';
import { fieldErrors } from '../../../../src/shared/http/fieldErrors';

const valid = {
  name: 'Night-shift mentoring',
  description: '',
  kind: 'mentoring',
  timeZone: 'America/Chicago',
  startDate: '2026-09-01',
  endDate: '2027-02-28',
  capacityPerMentor: '3',
  rosterMode: 'course',
};

function errorsOf(form: Record<string, unknown>) {
  const parsed = cohortFormSchema.safeParse(form);
  return parsed.success ? {} : fieldErrors(parsed.error);
}

describe('the cohort form', () => {
  it('when everything is filled in, then it is accepted with the capacity as a number and modules as a list', () => {
    const parsed = cohortFormSchema.parse({ ...valid, moduleSlugs: 'stress-first-aid' });
    expect(parsed).toMatchObject({ capacityPerMentor: 3, moduleSlugs: ['stress-first-aid'] });
  });

  it('when the capacity is 0, 51, 2.5 or words, then the capacity field says 1 to 50', () => {
    for (const capacity of ['0', '51', '2.5', 'three']) {
      expect(errorsOf({ ...valid, capacityPerMentor: capacity }).capacityPerMentor).toMatch(/from 1 to 50/);
    }
  });

  it('when a mentoring cohort has no capacity, then it is asked for; a peer circle does without', () => {
    expect(errorsOf({ ...valid, capacityPerMentor: '' }).capacityPerMentor).toMatch(/from 1 to 50/);
    expect(errorsOf({ ...valid, kind: 'peer-circle', capacityPerMentor: '' })).toEqual({});
  });

  it('when the end date is before the start date, then the end date field says so', () => {
    expect(errorsOf({ ...valid, endDate: '2026-08-31' })).toEqual({
      endDate: 'The end date must be on or after the start date.',
    });
    expect(errorsOf({ ...valid, endDate: '2026-09-01' })).toEqual({});
  });

  it('when the time zone or a date is not real, then each field says so', () => {
    expect(errorsOf({ ...valid, timeZone: 'Mars/Olympus', startDate: '2026-02-30' })).toEqual({
      timeZone: expect.stringMatching(/time zone/),
      startDate: expect.stringMatching(/like 2026-09-01/),
    });
  });

  it('when a mentor’s own capacity is left empty, then it goes back to the cohort’s; 0 is refused', () => {
    expect(mentorCapacitySchema.parse({ capacity: '' })).toEqual({ capacity: undefined });
    expect(mentorCapacitySchema.safeParse({ capacity: '0' }).success).toBe(false);
  });
});

describe('capacity and who may create', () => {
  it('when a mentor has their own capacity, then it wins over the cohort’s', () => {
    expect(mentorCapacity({ capacityPerMentor: 3 }, { capacity: 5 })).toBe(5);
    expect(mentorCapacity({ capacityPerMentor: 3 }, {})).toBe(3);
  });

  it('when someone launched as an instructor or admin, then they may create a cohort; learners and externals may not', () => {
    const base: CohortViewer = { tenantId: 't', userId: 'u', name: 'N', courseId: 'c' };
    expect(canCreateCohort({ ...base, courseRole: 'instructor' })).toBe(true);
    expect(canCreateCohort({ ...base, courseRole: 'admin' })).toBe(true);
    expect(canCreateCohort({ ...base, courseRole: 'learner' })).toBe(false);
    expect(canCreateCohort({ tenantId: 't', userId: 'u', name: 'N', grantedCohortIds: ['x'] })).toBe(false);
  });
});
