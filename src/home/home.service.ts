import type { Actor } from '../shared/auth/actor';
import { NotFoundError } from '../shared/errors';
import { CourseModel } from '../tenancy/course.model';
import { roleLabels } from '../tenancy/roles';
import { displayName } from '../tenancy/user.model';

export interface HomePage {
  greetingName: string;
  roleLabel: string;
  role: Actor['role'];
  courseTitle: string;
}

/** What the home page shows the actor: their name, their role in this course, the course. */
export async function homePageFor(actor: Actor): Promise<HomePage> {
  // The session carries the name the launch brought (see startSession), so only the course is read.
  const course = await CourseModel.findOne({ _id: actor.courseId, tenantId: actor.tenantId }).lean();
  if (!course) throw new NotFoundError('Your Rounds course could not be found. Please open Rounds again.');
  return {
    greetingName: displayName({ givenName: actor.name, name: '' }),
    roleLabel: roleLabels[actor.role],
    role: actor.role,
    courseTitle: course.title || course.label || 'your course',
  };
}
