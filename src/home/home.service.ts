import type { Actor } from '../shared/auth/actor';
import { NotFoundError } from '../shared/errors';
import { CourseModel } from '../tenancy/course.model';
import { roleLabels } from '../tenancy/roles';
import { UserModel, displayName } from '../tenancy/user.model';

export interface HomePage {
  greetingName: string;
  roleLabel: string;
  role: Actor['role'];
  courseTitle: string;
}

/** What the home page shows the actor: their name, their role in this course, the course. */
export async function homePageFor(actor: Actor): Promise<HomePage> {
  const [user, course] = await Promise.all([
    UserModel.findOne({ _id: actor.userId, tenantId: actor.tenantId }).lean(),
    CourseModel.findOne({ _id: actor.courseId, tenantId: actor.tenantId }).lean(),
  ]);
  if (!user || !course)
    throw new NotFoundError('Your Rounds account could not be found. Please open Rounds again.');
  return {
    greetingName: displayName(user),
    roleLabel: roleLabels[actor.role],
    role: actor.role,
    courseTitle: course.title || course.label || 'your course',
  };
}
