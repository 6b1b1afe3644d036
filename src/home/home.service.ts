import type { Actor } from '../shared/auth/actor';
import { courseRoleLabels, displayName } from '../tenancy';

export interface HomePage {
  greetingName: string;
  roleLabel: string;
  /** "a" or "an", as the role label needs it ("as an Administrator"). */
  roleArticle: 'a' | 'an';
  role: Actor['role'];
  courseTitle: string;
}

/**
 * What the home page shows the actor: their name, their role in this course, the course. The session carries the
 * name and course title the launch brought (see startSession), so the page reads nothing else.
 */
export function homePageFor(actor: Actor): HomePage {
  return {
    greetingName: displayName({ givenName: actor.name, name: '' }),
    roleLabel: courseRoleLabels[actor.role],
    roleArticle: /^[aeiou]/i.test(courseRoleLabels[actor.role]) ? 'an' : 'a',
    role: actor.role,
    courseTitle: actor.courseTitle || 'your course',
  };
}
