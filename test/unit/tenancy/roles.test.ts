import { roundsRoleFor } from '../../../src/tenancy/roles';

const lis = 'http://purl.imsglobal.org/vocab/lis/v2/';

describe('roundsRoleFor', () => {
  it('when a launch carries membership#Learner, then the person is a learner', () => {
    expect(roundsRoleFor([`${lis}membership#Learner`])).toBe('learner');
  });

  it.each(['Mentor', 'Instructor', 'TeachingAssistant'])(
    'when a launch carries membership#%s, then the person is a mentor',
    (role) => {
      expect(roundsRoleFor([`${lis}membership#${role}`])).toBe('mentor');
    },
  );

  it('when a teaching assistant arrives as an Instructor sub-role, then the person is a mentor', () => {
    expect(roundsRoleFor([`${lis}membership/Instructor#TeachingAssistant`])).toBe('mentor');
  });

  it('when a Moodle site admin launches (institution and system Administrator, no Learner), then they are an admin', () => {
    expect(
      roundsRoleFor([
        `${lis}institution/person#Administrator`,
        `${lis}system/person#Administrator`,
        `${lis}membership#Instructor`,
      ]),
    ).toBe('admin');
  });

  it('when NRPS sends short role names, then they map the same way', () => {
    expect(roundsRoleFor(['Instructor'])).toBe('mentor');
    expect(roundsRoleFor(['Learner'])).toBe('learner');
    expect(roundsRoleFor(['Administrator'])).toBe('admin');
  });

  it('when a launch has no roles Rounds knows, then the person is treated as a learner (least privilege)', () => {
    expect(roundsRoleFor([])).toBe('learner');
    expect(roundsRoleFor([`${lis}membership#ContentReviewer`])).toBe('learner');
  });
});
