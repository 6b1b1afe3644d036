import { DateTime } from 'luxon';
import { CmeActivityModel, CmeProfileModel, LedgerEntryModel } from '../../../../src/cme';
import { ModuleCompletionModel } from '../../../../src/wellbeing/player/completion.model';
import { decodeHtml, postForm, type Agent } from '../../../support';

// Seeding for the claims tests: activities, completions and profiles written straight through the models (the
// activities, player and profile pages are other parts', tested there).

export const amaStatement =
  'Mercy Health CME designates this enduring material for a maximum of 2 AMA PRA Category 1 Credits™. ' +
  'Physicians should claim only the credit commensurate with the extent of their participation in the activity.';
export const participationStatement =
  'Mercy Health CME awards other health professionals a certificate of participation for up to 2 hours of this enduring material.';

let seeded = 0;

/** A published activity (AMA 2 + participation 2; requires the module `stress-first-aid`, no evaluation). */
export async function seedActivity(tenantId: string, overrides: Record<string, unknown> = {}) {
  seeded += 1;
  return CmeActivityModel.create({
    tenantId,
    key: `claims-activity-${seeded}`,
    version: 1,
    status: 'published',
    title: `Stress First Aid for Clinical Teams ${seeded}`,
    format: 'enduring',
    providerName: 'Mercy Health CME',
    accreditation: 'joint',
    accreditationStatement:
      'Mercy Health CME is jointly accredited to provide continuing education for the healthcare team.',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    designations: [
      { creditType: 'ama-pra-1', maximum: 2, statement: amaStatement },
      { creditType: 'participation', maximum: 2, statement: participationStatement },
    ],
    requirements: { moduleSlugs: ['stress-first-aid'], evaluationRequired: false },
    disclosures: [
      {
        name: 'Dr. Ana Ruiz',
        role: 'faculty',
        company: 'Acme Pharma',
        relationship: 'Consultant',
        mitigated: true,
      },
      { name: 'Lee Park, RN', role: 'planner' },
    ],
    publishedAt: new Date('2026-01-01T12:00:00Z'),
    createdBy: 'test',
    ...overrides,
  });
}

/** A completion of the module `slug` at a wall-clock time in America/Chicago (e.g. `2026-03-14T23:30`). */
export async function seedCompletion(
  tenantId: string,
  userId: string,
  chicagoTime: string,
  slug = 'stress-first-aid',
) {
  const completedAt = DateTime.fromISO(chicagoTime, { zone: 'America/Chicago' });
  await ModuleCompletionModel.create({
    tenantId,
    userId,
    slug,
    version: 1,
    title: 'Stress First Aid for clinical teams',
    completedAt: completedAt.toJSDate(),
    localDate: completedAt.toISODate(),
    estimatedMinutes: 60,
  });
}

/** A learner's reporting profile (asked at the first claim). */
export async function seedProfile(
  tenantId: string,
  userId: string,
  profession: string,
  name: [string, string],
) {
  await CmeProfileModel.create({ tenantId, userId, profession, firstName: name[0], lastName: name[1] });
}

/** Posts the claim form of `key` as its page would. */
export function postClaim(agent: Agent, key: string, fields: Record<string, string>) {
  return postForm(agent, `/cme/activities/${key}`, `/cme/activities/${key}/claim`, fields);
}

/** A learner's ledger entries for an activity. */
export function entriesFor(userId: string, key: string) {
  return LedgerEntryModel.find({ userId, activityKey: key }).sort({ recordedAt: 1 }).lean();
}

/** The page's text with entities decoded. */
export const textOf = (response: { text: string }) => decodeHtml(response.text);
