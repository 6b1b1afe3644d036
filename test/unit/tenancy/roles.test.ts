import { courseRoleFor, storedCourseRole, suggestsCohortMentor } from '../../../src/tenancy/roles';

const lis = 'http://purl.imsglobal.org/vocab/lis/v2/';

describe('courseRoleFor', () => {
  it('when a launch carries membership#Learner, then the person is a learner', () => {
    expect(courseRoleFor([`${lis}membership#Learner`])).toBe('learner');
  });

  it.each(['Instructor', 'TeachingAssistant', 'ContentDeveloper'])(
    'when a launch carries membership#%s, then the person is an instructor of the course',
    (role) => {
      expect(courseRoleFor([`${lis}membership#${role}`])).toBe('instructor');
    },
  );

  it('when a launch carries only membership#Mentor, then the person is a learner: a mentor is assigned in a cohort, not by the LMS', () => {
    expect(courseRoleFor([`${lis}membership#Mentor`])).toBe('learner');
    expect(suggestsCohortMentor([`${lis}membership#Mentor`])).toBe(true);
  });

  it('when a teaching assistant arrives as an Instructor sub-role, then they teach the course and are suggested as a mentor', () => {
    const roles = [`${lis}membership/Instructor#TeachingAssistant`];
    expect(courseRoleFor(roles)).toBe('instructor');
    expect(suggestsCohortMentor(roles)).toBe(true);
  });

  it('when Moodle sends a teacher (editing or not) as Instructor, then no mentor is suggested', () => {
    expect(suggestsCohortMentor([`${lis}membership#Instructor`])).toBe(false);
  });

  it('when a Moodle site admin launches (institution and system Administrator, no Learner), then they are an admin', () => {
    expect(
      courseRoleFor([
        `${lis}institution/person#Administrator`,
        `${lis}system/person#Administrator`,
        `${lis}membership#Instructor`,
      ]),
    ).toBe('admin');
  });

  it('when NRPS sends short role names, then they map the same way', () => {
    expect(courseRoleFor(['Instructor'])).toBe('instructor');
    expect(courseRoleFor(['Learner'])).toBe('learner');
    expect(courseRoleFor(['Administrator'])).toBe('admin');
  });

  it('when a launch has no roles Rounds knows, then the person is treated as a learner (least privilege)', () => {
    expect(courseRoleFor([])).toBe('learner');
    expect(courseRoleFor([`${lis}membership#ContentReviewer`])).toBe('learner');
  });
});

describe('storedCourseRole', () => {
  it('when a session stored before cohort roles holds mentor, then it reads as instructor', () => {
    expect(storedCourseRole('mentor')).toBe('instructor');
    expect(storedCourseRole('learner')).toBe('learner');
    expect(storedCourseRole('operator')).toBeUndefined();
  });
});
