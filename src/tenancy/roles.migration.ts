import mongoose from 'mongoose';
import { legacyInstructorRole } from './roles';

/**
 * Rewrites the course role stored before cohort roles existed (`mentor`, meaning an LTI Instructor) to
 * `instructor`, in enrollments and in live sessions, so a session started before the upgrade keeps working and
 * nothing stored reads the old word. Idempotent: a second run changes nothing. Sessions are updated through
 * their collection, not their model, so tenancy does not depend on the session code.
 */
export async function migrateLegacyCourseRoles(): Promise<{ enrollments: number; sessions: number }> {
  const db = mongoose.connection.db!;
  const [enrollments, sessions] = await Promise.all(
    ['enrollments', 'sessions'].map((name) =>
      db.collection(name).updateMany({ role: legacyInstructorRole }, { $set: { role: 'instructor' } }),
    ),
  );
  return { enrollments: enrollments!.modifiedCount, sessions: sessions!.modifiedCount };
}
