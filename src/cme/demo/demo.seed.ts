import { DateTime } from 'luxon';
import type { DemoCourse } from '../../cohorts';
import { CourseModel, TenantModel } from '../../tenancy';
import {
  accreditationStatementFor,
  createActivity,
  designationStatementFor,
  defaultEvaluationQuestions,
  findActivityVersion,
  publishActivity,
} from '../activities';

/** What the LMS side of the demo does: place an activity opening a Rounds target (the sandbox's deep linking). */
export interface DemoCmeLms {
  placeTargetActivity(input: { target: string; title: string; text?: string }): Promise<string>;
}

export const demoActivityKey = 'demo-clinician-wellbeing-essentials';
const provider = 'Rounds Sandbox Health System';

/**
 * Seeds the sandbox course's CME demo (issue 13, item 7): a published enduring-material activity designated for
 * 2 AMA PRA Category 1 Credits™ and 2 ANCC contact hours, whose requirements are two bundled modules and the
 * evaluation, linked to the course, and a `cme-claim:course-credit` activity placed in the course that opens its
 * claim page. Runs after the cohorts demo has recorded the course and its people; once only.
 */
export async function seedDemoCme(demo: DemoCourse, lms: DemoCmeLms, now = new Date()): Promise<boolean> {
  const { issuer, clientId, deploymentId } = demo.platform;
  const tenant = await TenantModel.findOne({ issuer, clientId, deploymentId }).lean();
  const course = tenant
    ? await CourseModel.findOne({ tenantId: tenant._id, contextId: demo.course.contextId }).lean()
    : null;
  if (!tenant || !course) throw new Error('the CME demo needs the sandbox course recorded first');
  const tenantId = String(tenant._id);
  if (await findActivityVersion(tenantId, demoActivityKey)) return false;
  const editor = { tenantId, name: 'Sam Whitfield' };
  const today = DateTime.fromJSDate(now).setZone(tenant.timeZone || 'UTC');
  const format = 'enduring' as const;
  await createActivity(editor, {
    key: demoActivityKey,
    title: 'Clinician well-being essentials (demo)',
    description:
      'Two short modules on stress first aid and two-minute resets for clinical teams, and a short evaluation.',
    format,
    providerName: provider,
    accreditation: 'joint',
    accreditationStatement: accreditationStatementFor('joint', provider),
    startDate: today.startOf('year').toISODate()!,
    endDate: today.plus({ years: 1 }).toISODate()!,
    // Made-up reporting identifiers, so the demo's PARS and CE Broker exports have rows to show (issue 14).
    accmeActivityId: '202612345',
    ceBrokerProviderNumber: '50-12345',
    ceBrokerCourseNumber: '20-654321',
    designations: [
      {
        creditType: 'ama-pra-1',
        maximum: 2,
        statement: designationStatementFor('ama-pra-1', { providerName: provider, format, maximum: 2 }),
      },
      {
        creditType: 'ancc',
        maximum: 2,
        statement: designationStatementFor('ancc', { providerName: provider, format, maximum: 2 }),
      },
    ],
    requirements: {
      moduleSlugs: ['stress-first-aid', 'two-minute-resets'],
      evaluationRequired: true,
      evaluationQuestions: defaultEvaluationQuestions(),
    },
    disclosures: [
      { name: 'Dr. Elena García', role: 'planner', company: '', relationship: '', mitigated: false },
      { name: 'Sam Whitfield', role: 'planner', company: '', relationship: '', mitigated: false },
    ],
    courseIds: [String(course._id)],
  });
  await publishActivity(editor, demoActivityKey, now);
  await lms.placeTargetActivity({ target: 'cme-claim:course-credit', title: 'CME credit for this course' });
  return true;
}
