import { ConflictError } from '../../shared/errors';
import type { CmeActivity } from '../core';

/** Something that keeps a draft from being published, and the field that fixes it. */
export interface PublishProblem {
  field: string;
  message: string;
}

/**
 * Only a draft version can change: a published version's designations (and everything learners claimed under)
 * stay as they were, and a change goes through a new version (issue 13, item 1).
 */
export function assertDraft(activity: Pick<CmeActivity, 'status' | 'version'>): void {
  if (activity.status !== 'draft')
    throw new ConflictError(
      `Version ${activity.version} is ${activity.status}: it cannot change. Make a new version to change it.`,
    );
}

/** Only a published activity can be closed or copied into a new version. */
export function assertPublished(activity: Pick<CmeActivity, 'status' | 'version'>): void {
  if (activity.status !== 'published')
    throw new ConflictError(`Version ${activity.version} is ${activity.status}, not published.`);
}

/**
 * What a draft still lacks before learners may claim under it (empty: ready). A credit designation; for enduring
 * material an assessment with a pass level announced beforehand (DOMAIN.md): a post-test with a pass mark, or
 * required modules, whose knowledge checks must be passed to complete them (each check states what passes);
 * disclosures of the planners and faculty, with every relevant financial relationship mitigated (ACCME Standard 3).
 */
export function publishProblems(activity: CmeActivity): PublishProblem[] {
  const problems: PublishProblem[] = [];
  if (activity.designations.length === 0)
    problems.push({ field: 'designations', message: 'Designate at least one credit type with its maximum.' });
  const postTest = activity.requirements?.postTest;
  const hasPostTest = Boolean(postTest?.passPercent && postTest.questions.length > 0);
  const hasModules = (activity.requirements?.moduleSlugs?.length ?? 0) > 0;
  if (activity.format === 'enduring' && !hasPostTest && !hasModules)
    problems.push({
      field: 'requirements.postTest',
      message:
        'Enduring material needs an assessment before it is published: a post-test with a pass mark, or required modules (their knowledge checks).',
    });
  if (activity.disclosures.length === 0)
    problems.push({
      field: 'disclosures',
      message:
        'List the planners and faculty: each one’s financial relationships with ineligible companies, or that they have none.',
    });
  activity.disclosures.forEach((disclosure, index) => {
    if (disclosure.company && !disclosure.mitigated)
      problems.push({
        field: `disclosures.${index}.mitigated`,
        message: `Mitigate ${disclosure.name}’s relationship with ${disclosure.company} before publishing.`,
      });
  });
  return problems;
}
