import { DateTime } from 'luxon';
import { CohortModel } from '../../cohorts';
import { CourseModel, tenantTimeZone } from '../../tenancy';
import { listModules } from '../../wellbeing';
import { creditTypeLabels, CmeActivityModel, type CmeActivity, type CreditType } from '../core';
import { newestPerKey, versionsOf } from './activity.queries';
import { openActivity, type ActivityEditor } from './activity.service';

export const formatLabels: Record<string, string> = {
  enduring: 'Enduring material',
  live: 'Live course',
  rss: 'Regularly scheduled series',
  other: 'Other',
};
export const accreditationLabels: Record<string, string> = {
  joint: 'Joint Accreditation (ACCME, ACPE and ANCC)',
  accme: 'ACCME',
  ancc: 'ANCC',
  acpe: 'ACPE',
};
const statusLabels: Record<string, string> = { draft: 'Draft', published: 'Published', closed: 'Closed' };

/** What the form offers to choose: the tenant's modules, cohorts and courses. Small lists: one scan each. */
export async function formChoicesFor(tenantId: string) {
  const [modules, cohorts, courses] = await Promise.all([
    listModules(tenantId),
    CohortModel.find({ tenantId, archived: false }).select('name').sort({ name: 1 }).lean(),
    CourseModel.find({ tenantId }).select('title label contextId').sort({ title: 1 }).lean(),
  ]);
  return {
    modules: modules.map((module) => ({ slug: module.slug, title: module.title })),
    cohorts: cohorts.map((cohort) => ({ id: String(cohort._id), name: cohort.name })),
    courses: courses.map((course) => ({
      id: String(course._id),
      title: course.title || course.label || course.contextId,
    })),
  };
}
export type FormChoices = Awaited<ReturnType<typeof formChoicesFor>>;

/** An instant in the tenant's zone, the zone named (dates people read are theirs, not UTC). */
function shown(instant: Date | null | undefined, zone: string): string {
  if (!instant) return '';
  return `${DateTime.fromJSDate(instant).setZone(zone).toFormat('d LLL yyyy, HH:mm')} (${zone})`;
}

/** "2 AMA PRA Category 1 Credit™ · 2 ANCC contact hours": the designations in one line. */
export function creditsLine(activity: Pick<CmeActivity, 'designations'>): string {
  return activity.designations
    .map((row) => `${row.maximum} ${creditTypeLabels[row.creditType as CreditType]}`)
    .join(' · ');
}

/**
 * The admin list: each activity once, by its newest version, with the version learners claim under when that is
 * an older one. One scan of the tenant's versions (a tenant has tens, not thousands).
 */
export async function activityListFor(editor: ActivityEditor) {
  const versions = await CmeActivityModel.find({ tenantId: editor.tenantId })
    .select('key version status title format designations')
    .lean<CmeActivity[]>();
  const publishedByKey = new Map(
    newestPerKey(versions.filter((version) => version.status === 'published')).map((row) => [row.key, row]),
  );
  return newestPerKey(versions)
    .sort((a, b) => a.title.localeCompare(b.title, 'en'))
    .map((activity) => {
      const claimable = publishedByKey.get(activity.key);
      return {
        href: `/cme/admin/activities/${activity.key}`,
        title: activity.title,
        status: statusLabels[activity.status] ?? activity.status,
        statusClass: activity.status,
        version: activity.version,
        claimableVersion: claimable && claimable.version !== activity.version ? claimable.version : null,
        format: formatLabels[activity.format] ?? activity.format,
        credits: creditsLine(activity) || 'No credit designated yet',
      };
    });
}

/** A version as the read-only page shows it: every field in words, names instead of ids. */
async function summaryOf(activity: CmeActivity, choices: FormChoices) {
  const requirements = activity.requirements;
  const moduleTitle = new Map(choices.modules.map((module) => [module.slug, module.title]));
  const cohortName = new Map(choices.cohorts.map((cohort) => [cohort.id, cohort.name]));
  const courseTitle = new Map(choices.courses.map((course) => [course.id, course.title]));
  const sessions = requirements?.sessions?.cohortId ? requirements.sessions : null;
  const cohort = sessions
    ? (cohortName.get(String(sessions.cohortId)) ??
      (
        await CohortModel.findOne({ _id: sessions.cohortId, tenantId: activity.tenantId })
          .select('name')
          .lean()
      )?.name ??
      'a cohort no longer listed')
    : '';
  return {
    format: formatLabels[activity.format] ?? activity.format,
    accreditation: accreditationLabels[activity.accreditation] ?? activity.accreditation,
    dates:
      activity.startDate === activity.endDate
        ? activity.startDate
        : `${activity.startDate} to ${activity.endDate}`,
    designations: activity.designations.map((row) => ({
      label: creditTypeLabels[row.creditType as CreditType],
      maximum: row.maximum,
      statement: row.statement,
      uan: row.uan,
      acpeCreditType: row.acpeCreditType,
    })),
    modules: (requirements?.moduleSlugs ?? []).map((slug) => moduleTitle.get(slug) ?? slug),
    sessions: sessions ? { cohort, count: sessions.count } : null,
    postTest: requirements?.postTest?.passPercent
      ? {
          passPercent: requirements.postTest.passPercent,
          questions: requirements.postTest.questions.map((question) => ({
            text: question.text,
            options: question.options.map((option, index) => ({
              option,
              correct: index === question.correct,
            })),
          })),
        }
      : null,
    evaluationRequired: requirements?.evaluationRequired ?? true,
    evaluationQuestions: (requirements?.evaluationQuestions ?? []).map((question) => ({
      text: question.text,
      kind: question.kind === 'scale' ? 'scale of 1 to 5' : 'in their own words',
    })),
    disclosures: activity.disclosures.map((row) => ({
      ...row,
      role: row.role === 'planner' ? 'Planner' : 'Faculty',
    })),
    courses: activity.courseIds.map((id) => courseTitle.get(String(id)) ?? 'A course no longer listed'),
  };
}

/**
 * The activity page: its newest version (or the one asked for), the summary of a published or closed one, every
 * version with its status and dates in the tenant's zone, and what the admin may do next.
 */
export async function activityPageFor(editor: ActivityEditor, key: string, version?: number) {
  const newest = await openActivity(editor, key);
  const [versions, zone, choices] = await Promise.all([
    versionsOf(editor.tenantId, key),
    tenantTimeZone(editor.tenantId),
    formChoicesFor(editor.tenantId),
  ]);
  const shownVersion = version === undefined ? newest : versions.find((row) => row.version === version);
  if (!shownVersion) return null;
  const isNewest = shownVersion.version === newest.version;
  return {
    activity: shownVersion,
    isNewest,
    summary: await summaryOf(shownVersion, choices),
    choices,
    zone,
    canEdit: isNewest && shownVersion.status === 'draft',
    canClose: versions.some((row) => row.status === 'published'),
    canStartNewVersion: isNewest && shownVersion.status === 'published',
    versions: versions.map((row) => ({
      version: row.version,
      href: `/cme/admin/activities/${key}/versions/${row.version}`,
      status: statusLabels[row.status] ?? row.status,
      statusClass: row.status,
      publishedAt: shown(row.publishedAt, zone),
      closedAt: shown(row.closedAt, zone),
      credits: creditsLine(row) || 'No credit designated',
      current: row.version === shownVersion.version,
    })),
  };
}
