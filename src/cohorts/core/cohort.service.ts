import { DateTime } from 'luxon';
import { ValidationError } from '../../shared/errors';
import { CourseModel, tenantTimeZone } from '../../tenancy';
import { listModules } from '../../wellbeing';
import { openManagedCohort, type OpenedCohort } from './cohort.access';
import { listViewerCohorts } from './cohort.list';
import { CohortModel, type Cohort, type CohortKind } from './cohort.model';
import { assertCanCreateCohort, canCreateCohort } from './cohort.policy';
import { reconcileCohortRosters } from './cohort.roster';
import type { CohortForm } from './cohort.schemas';
import type { CohortRole } from './cohortMember.model';
import type { CohortViewer } from './cohortViewer';

/** The cohort form's fields as text (what the page shows and a refused form shows again). */
export interface CohortFormValues {
  name: string;
  description: string;
  kind: string;
  timeZone: string;
  startDate: string;
  endDate: string;
  capacityPerMentor: string;
  moduleSlugs: string[];
  groundRules: string;
  rosterMode: string;
}

export const kindLabels: Record<CohortKind, string> = {
  mentoring: 'Mentoring cohort',
  'peer-circle': 'Peer-support circle',
};

export const cohortRoleLabels: Record<CohortRole, string> = {
  mentor: 'Mentor',
  mentee: 'Mentee',
  facilitator: 'Facilitator',
  member: 'Member',
};

/** The cohort roles of a kind: mentors and mentees, or facilitators and members. */
export function rolesOfKind(kind: CohortKind): CohortRole[] {
  return kind === 'mentoring' ? ['mentor', 'mentee'] : ['facilitator', 'member'];
}

/** A calendar date (`YYYY-MM-DD`) as people read it: "1 Sep 2026". */
export function readableDate(date: string): string {
  const parsed = DateTime.fromISO(date, { zone: 'UTC' });
  return parsed.isValid ? parsed.toFormat('d LLL yyyy') : date;
}

/** The modules a cohort may link to: the tenant's and the bundled ones, by title. */
export async function moduleChoices(tenantId: string): Promise<Array<{ slug: string; title: string }>> {
  const modules = await listModules(tenantId);
  return modules.map((module) => ({ slug: module.slug, title: module.title }));
}

/** A new cohort's form: the tenant's zone, starting today there and running six months. */
export async function newCohortForm(viewer: CohortViewer): Promise<CohortFormValues> {
  assertCanCreateCohort(viewer);
  const timeZone = await tenantTimeZone(viewer.tenantId);
  const today = DateTime.now().setZone(timeZone);
  return {
    name: '',
    description: '',
    kind: 'mentoring',
    timeZone,
    startDate: today.toISODate()!,
    endDate: today.plus({ months: 6 }).toISODate()!,
    capacityPerMentor: '3',
    moduleSlugs: [],
    groundRules: '',
    rosterMode: 'course',
  };
}

/** A stored cohort as form values. */
export function cohortFormOf(cohort: Cohort): CohortFormValues {
  return {
    name: cohort.name,
    description: cohort.description ?? '',
    kind: cohort.kind,
    timeZone: cohort.timeZone,
    startDate: cohort.startDate,
    endDate: cohort.endDate,
    capacityPerMentor: String(cohort.capacityPerMentor ?? 3),
    moduleSlugs: [...(cohort.moduleSlugs ?? [])],
    groundRules: cohort.groundRules ?? '',
    rosterMode: cohort.rosterMode ?? 'course',
  };
}

/** Field errors the schema cannot see: a name taken in the course, modules that are not the tenant's. */
async function assertFormFits(
  tenantId: string,
  courseId: string,
  form: CohortForm,
  exceptCohortId?: string,
): Promise<void> {
  const fields: Record<string, string> = {};
  const sameName = await CohortModel.findOne({ tenantId, courseId, name: form.name }, { _id: 1 }).lean();
  if (sameName && String(sameName._id) !== exceptCohortId) {
    fields.name = 'This course already has a cohort with this name. Choose another name.';
  }
  const available = new Set((await moduleChoices(tenantId)).map((module) => module.slug));
  if (form.moduleSlugs.some((slug) => !available.has(slug))) {
    fields.moduleSlugs = 'Choose modules from the list.';
  }
  if (Object.keys(fields).length > 0) throw new ValidationError('Check the cohort’s details.', fields);
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: unknown })?.code === 11000;
}

const nameTaken = () =>
  new ValidationError('Check the cohort’s details.', {
    name: 'This course already has a cohort with this name. Choose another name.',
  });

/**
 * Creates a cohort in the course the viewer launched from. In `course` roster mode the course's learners known
 * to Rounds join at once (the rest as they launch or at the next roster sync). Returns its id.
 */
export async function createCohort(viewer: CohortViewer, form: CohortForm): Promise<string> {
  assertCanCreateCohort(viewer);
  const courseId = viewer.courseId!;
  await assertFormFits(viewer.tenantId, courseId, form);
  const cohort = await CohortModel.create({
    tenantId: viewer.tenantId,
    courseId,
    name: form.name,
    description: form.description,
    kind: form.kind,
    timeZone: form.timeZone,
    startDate: form.startDate,
    endDate: form.endDate,
    capacityPerMentor: form.capacityPerMentor ?? 3,
    moduleSlugs: form.moduleSlugs,
    groundRules: form.kind === 'peer-circle' ? form.groundRules : '',
    rosterMode: form.rosterMode,
    createdBy: viewer.userId,
  }).catch((error: unknown) => {
    throw isDuplicateKey(error) ? nameTaken() : error;
  });
  if (form.rosterMode === 'course') await reconcileCohortRosters(viewer.tenantId, courseId);
  return String(cohort._id);
}

/**
 * Saves a cohort's settings (its managers only). The kind stays what it was made as: pairs, reflections and
 * check-ins depend on it. Switching to `course` roster mode brings the course's learners in.
 */
export async function updateCohort(viewer: CohortViewer, cohortId: string, form: CohortForm): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  const courseId = String(cohort.courseId);
  await assertFormFits(viewer.tenantId, courseId, form, String(cohort._id));
  const mentoring = cohort.kind === 'mentoring';
  await CohortModel.updateOne(
    { _id: cohort._id, tenantId: viewer.tenantId },
    {
      $set: {
        name: form.name,
        description: form.description,
        timeZone: form.timeZone,
        startDate: form.startDate,
        endDate: form.endDate,
        ...(mentoring && form.capacityPerMentor ? { capacityPerMentor: form.capacityPerMentor } : {}),
        ...(mentoring ? {} : { groundRules: form.groundRules }),
        moduleSlugs: form.moduleSlugs,
        rosterMode: form.rosterMode,
      },
    },
  ).catch((error: unknown) => {
    throw isDuplicateKey(error) ? nameTaken() : error;
  });
  if (form.rosterMode === 'course' && !cohort.archived)
    await reconcileCohortRosters(viewer.tenantId, courseId);
}

/** Archives a cohort (it leaves members' lists; externals lose access; history stays) or brings it back. */
export async function setCohortArchived(
  viewer: CohortViewer,
  cohortId: string,
  archived: boolean,
): Promise<void> {
  const { cohort } = await openManagedCohort(viewer, cohortId);
  await CohortModel.updateOne({ _id: cohort._id, tenantId: viewer.tenantId }, { $set: { archived } });
}

/** The settings page of a cohort: the cohort opened for its manager, and the module choices. */
export async function settingsPageFor(
  viewer: CohortViewer,
  cohortId: string,
): Promise<{ opened: OpenedCohort; modules: Array<{ slug: string; title: string }> }> {
  const opened = await openManagedCohort(viewer, cohortId);
  return { opened, modules: await moduleChoices(viewer.tenantId) };
}

/** One cohort in a list on /cohorts. */
export interface CohortListItem {
  href: string;
  name: string;
  kind: string;
  dates: string;
  role?: string;
  archived: boolean;
}

function listItemOf(cohort: Cohort, role?: CohortRole): CohortListItem {
  return {
    href: `/cohorts/${String(cohort._id)}`,
    name: cohort.name,
    kind: kindLabels[cohort.kind as CohortKind],
    dates: `${readableDate(cohort.startDate)} to ${readableDate(cohort.endDate)}`,
    ...(role ? { role: cohortRoleLabels[role] } : {}),
    archived: cohort.archived,
  };
}

/**
 * /cohorts: the viewer's own cohorts with their role, and (instructors, administrators) the cohorts they run,
 * grouped by course. Whether they may create one.
 */
export async function cohortListFor(viewer: CohortViewer): Promise<{
  canCreate: boolean;
  mine: CohortListItem[];
  managed: Array<{ course: string; cohorts: CohortListItem[] }>;
}> {
  const cohorts = await listViewerCohorts(viewer);
  const mine = cohorts.filter((item) => item.role).map((item) => listItemOf(item.cohort, item.role));
  const run = cohorts.filter((item) => item.manages);
  const courseIds = [...new Set(run.map((item) => String(item.cohort.courseId)))];
  const courses = await CourseModel.find({ tenantId: viewer.tenantId, _id: { $in: courseIds } }).lean();
  const titleOf = new Map(
    courses.map((course) => [
      String(course._id),
      course.title || course.label || `Course ${course.contextId}`,
    ]),
  );
  const managed = courseIds
    .map((courseId) => ({
      courseId,
      course: titleOf.get(courseId) ?? 'A course',
      cohorts: run
        .filter((item) => String(item.cohort.courseId) === courseId)
        .sort((a, b) => Number(a.cohort.archived) - Number(b.cohort.archived))
        .map((item) => listItemOf(item.cohort, item.role)),
    }))
    // The launched course first, then the others by title.
    .sort(
      (a, b) =>
        Number(b.courseId === viewer.courseId) - Number(a.courseId === viewer.courseId) ||
        a.course.localeCompare(b.course),
    )
    .map(({ course, cohorts: items }) => ({ course, cohorts: items }));
  return { canCreate: canCreateCohort(viewer), mine, managed };
}
