import { NotFoundError } from '../../shared/errors';
import { CohortMemberModel, CohortModel, PairModel, canManageCohort, type CohortViewer } from '../core';
import { ReflectionAssignmentModel } from './assignment.model';
import { courseReflectionKey } from './assignmentLink.model';
import { recordAssignmentLaunch } from './passback.service';
import { isObjectId } from './reflection.schemas';

/** Where a launch of a placed reflection lands: a page of Rounds, or a page saying there is nothing here. */
export type ReflectionLanding =
  | { redirect: string }
  | { page: { heading: string; message: string; links: { href: string; label: string }[] } };

/** The LMS activity the session's launch came from, when it opened exactly this reflection. */
export interface ReflectionLaunch {
  courseId: string;
  resourceLinkId: string;
}

const nothingHere = (heading: string, message: string): ReflectionLanding => ({
  page: { heading, message, links: [{ href: '/home', label: 'Go to your Rounds home page' }] },
});

/**
 * Lands a launch of `reflection:<assignmentId>` or the older `reflection:cohort-reflection`, first recording
 * which LMS activity stands for it in the course (its grades go there). A mentee goes to the assignment (or their
 * reflections), a mentor to the grading queue, a manager to the assignments; anyone else reads why not.
 */
export async function landReflectionLaunch(
  viewer: CohortViewer,
  id: string,
  launch?: ReflectionLaunch,
): Promise<ReflectionLanding> {
  if (id === courseReflectionKey) {
    if (launch) await recordAssignmentLaunch(viewer.tenantId, launch.courseId, id, launch.resourceLinkId);
    return landCourseReflection(viewer);
  }
  const assignment = isObjectId(id)
    ? await ReflectionAssignmentModel.findOne({ _id: id, tenantId: viewer.tenantId }).lean()
    : null;
  if (!assignment) throw new NotFoundError('This reflection assignment is not part of Rounds (any more).');
  if (launch) await recordAssignmentLaunch(viewer.tenantId, launch.courseId, id, launch.resourceLinkId);
  const cohort = await CohortModel.findOne({ _id: assignment.cohortId, tenantId: viewer.tenantId }).lean();
  if (!cohort) throw new NotFoundError('This reflection assignment is not part of Rounds (any more).');
  const base = `/cohorts/${String(cohort._id)}`;
  const granted = !viewer.grantedCohortIds || viewer.grantedCohortIds.includes(String(cohort._id));
  const [membership, mentoring] = await Promise.all([
    CohortMemberModel.findOne({ cohortId: cohort._id, userId: viewer.userId, active: true }).lean(),
    PairModel.exists({
      tenantId: viewer.tenantId,
      cohortId: cohort._id,
      mentorId: viewer.userId,
      active: true,
    }),
  ]);
  if (granted && membership?.role === 'mentee' && !cohort.archived) {
    return { redirect: `${base}/reflections/${String(assignment._id)}` };
  }
  if (granted && (mentoring || membership?.role === 'mentor')) return { redirect: '/grading' };
  if (canManageCohort(viewer, cohort)) return { redirect: `${base}/assignments` };
  return nothingHere(
    assignment.title,
    `This reflection is written by the mentees of the cohort “${cohort.name}”, and you are not one of them. If you think you should be, ask your course’s instructor.`,
  );
}

async function landCourseReflection(viewer: CohortViewer): Promise<ReflectionLanding> {
  const courseCohorts = viewer.courseId
    ? await CohortModel.find(
        { tenantId: viewer.tenantId, courseId: viewer.courseId, kind: 'mentoring', archived: false },
        { name: 1, courseId: 1, tenantId: 1 },
      ).lean()
    : [];
  const memberships = await CohortMemberModel.find(
    { tenantId: viewer.tenantId, userId: viewer.userId, active: true, role: 'mentee' },
    { cohortId: 1 },
  ).lean();
  const mine = courseCohorts.filter((cohort) =>
    memberships.some((membership) => String(membership.cohortId) === String(cohort._id)),
  );
  if (mine.length === 1) return { redirect: `/cohorts/${String(mine[0]!._id)}/reflections` };
  if (mine.length > 1) {
    return {
      page: {
        heading: 'Reflection assignment',
        message:
          'You are a mentee in more than one cohort of this course. Choose one to see its reflections.',
        links: mine.map((cohort) => ({
          href: `/cohorts/${String(cohort._id)}/reflections`,
          label: `Reflections of “${cohort.name}”`,
        })),
      },
    };
  }
  const mentoring = await PairModel.exists({
    tenantId: viewer.tenantId,
    mentorId: viewer.userId,
    active: true,
    ...(viewer.grantedCohortIds ? { cohortId: { $in: viewer.grantedCohortIds } } : {}),
  });
  if (mentoring) return { redirect: '/grading' };
  const managed = courseCohorts.filter((cohort) => canManageCohort(viewer, cohort));
  if (managed.length === 1) return { redirect: `/cohorts/${String(managed[0]!._id)}/assignments` };
  if (managed.length > 1) return { redirect: '/cohorts' };
  return nothingHere(
    'Reflection assignment',
    'Your course links to the reflections of a mentoring cohort, and you are not a mentee in one of this course’s cohorts yet. When your instructor adds you, your reflections open here.',
  );
}
