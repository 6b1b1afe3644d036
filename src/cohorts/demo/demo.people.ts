import mongoose from 'mongoose';
import { CourseModel, EnrollmentModel, TenantModel, UserModel, courseRoleFor } from '../../tenancy';

/** The LMS, its course and the people of the demo, as the sandbox describes them (no launch needed). */
export interface DemoCourse {
  platform: { issuer: string; clientId: string; deploymentId: string; name: string };
  course: { contextId: string; title: string; label: string };
  people: Array<{
    key: string;
    subject: string;
    name: string;
    givenName: string;
    familyName: string;
    email: string;
    ltiRoles: string[];
  }>;
}

/**
 * Writes the tenant, course, users and enrollments a first launch of each person would write, so the demo cohorts
 * exist before anyone has launched. A later launch updates the same documents (same natural keys).
 */
export async function recordDemoPeople(demo: DemoCourse) {
  const upsert = { upsert: true, new: true } as const;
  const { issuer, clientId, deploymentId, name } = demo.platform;
  const tenant = await TenantModel.findOneAndUpdate(
    { issuer, clientId, deploymentId },
    { $setOnInsert: { platformName: name } },
    upsert,
  ).lean();
  const course = await CourseModel.findOneAndUpdate(
    { tenantId: tenant._id, contextId: demo.course.contextId },
    { $setOnInsert: { title: demo.course.title, label: demo.course.label } },
    upsert,
  ).lean();
  const userIds = new Map<string, string>();
  for (const person of demo.people) {
    const user = await UserModel.findOneAndUpdate(
      { tenantId: tenant._id, subject: person.subject },
      {
        $setOnInsert: {
          name: person.name,
          givenName: person.givenName,
          familyName: person.familyName,
          email: person.email,
        },
      },
      upsert,
    ).lean();
    await EnrollmentModel.updateOne(
      { tenantId: tenant._id, courseId: course._id, userId: user._id },
      { $setOnInsert: { ltiRoles: person.ltiRoles, role: courseRoleFor(person.ltiRoles), active: true } },
      { upsert: true },
    );
    userIds.set(person.key, String(user._id));
  }
  return {
    tenantId: String(tenant._id),
    courseId: String(course._id),
    userId(key: string): string {
      const id = userIds.get(key);
      if (!id || !mongoose.isValidObjectId(id)) throw new Error(`the demo has no person "${key}"`);
      return id;
    },
  };
}
