import { creditTypeLabels, creditTypes, type CmeActivity, type CreditType } from '../core';
import {
  blankDisclosure,
  blankQuestion,
  optionSlots,
  readActivityForm,
  type ActivityForm,
} from './activity.form';
import {
  accreditationStatementFor,
  defaultEvaluationQuestions,
  designationStatementFor,
} from './activity.statements';

/** Rows to show: the given ones and `spare` blank ones, at least `least` in all (no script adds rows). */
function withSpares<Row>(rows: Row[], blank: () => Row, spare: number, least: number): Row[] {
  const count = Math.max(rows.length + spare, least);
  return [...rows, ...Array.from({ length: count - rows.length }, blank)];
}

/**
 * The typed rows without the blank ones (which the save ignores), then the blank rows a form shows after them; the
 * rows that keep their index are the ones an error names, since blank rows are only ever at the end.
 */
export function withBlankRows(form: ActivityForm): ActivityForm {
  const typedUpToLast = <Row>(rows: Row[], isBlank: (row: Row) => boolean) => {
    const last = rows.findLastIndex((row) => !isBlank(row));
    return rows.slice(0, last + 1);
  };
  const blank = (...values: string[]) => values.every((value) => value.trim() === '');
  return {
    ...form,
    postTest: withSpares(
      typedUpToLast(form.postTest, (row) => blank(row.text, ...row.options)),
      blankQuestion,
      1,
      3,
    ),
    evaluation: withSpares(
      typedUpToLast(form.evaluation, (row) => blank(row.text)),
      () => ({ text: '', kind: 'scale' }),
      1,
      3,
    ),
    disclosures: withSpares(
      typedUpToLast(form.disclosures, (row) => blank(row.name, row.company, row.relationship)),
      blankDisclosure,
      2,
      3,
    ),
  };
}

/** Fills in the usual designation and accreditation wording from the typed provider, format and maximums. */
export function withUsualWording(form: ActivityForm, onlyBlank = false): ActivityForm {
  const format = (
    ['enduring', 'live', 'rss', 'other'].includes(form.format) ? form.format : 'enduring'
  ) as 'enduring';
  const replace = (current: string) => !onlyBlank || current.trim() === '';
  return {
    ...form,
    accreditationStatement:
      replace(form.accreditationStatement) && ['joint', 'accme', 'ancc', 'acpe'].includes(form.accreditation)
        ? accreditationStatementFor(form.accreditation as 'joint', form.providerName)
        : form.accreditationStatement,
    designations: form.designations.map((row) => ({
      ...row,
      statement: replace(row.statement)
        ? designationStatementFor(row.creditType, {
            providerName: form.providerName,
            format,
            maximum: Number(row.maximum),
          })
        : row.statement,
    })),
  };
}

/** The form of a new activity: enduring material under Joint Accreditation, the default evaluation, usual wording. */
export function blankActivityForm(): ActivityForm {
  const empty = readActivityForm({});
  return withUsualWording({
    ...empty,
    format: 'enduring',
    accreditation: 'joint',
    evaluationRequired: true,
    evaluation: defaultEvaluationQuestions(),
  });
}

/** The form showing a stored version (a draft being edited). */
export function activityFormOf(activity: CmeActivity): ActivityForm {
  const designations = new Map(activity.designations.map((row) => [row.creditType as CreditType, row]));
  const requirements = activity.requirements;
  const form: ActivityForm = {
    title: activity.title,
    description: activity.description,
    format: activity.format,
    providerName: activity.providerName,
    accreditation: activity.accreditation,
    accreditationStatement: activity.accreditationStatement,
    startDate: activity.startDate,
    endDate: activity.endDate,
    location: activity.location,
    accmeActivityId: activity.accmeActivityId,
    // Versions stored before issue 14 lack the CE Broker numbers.
    ceBrokerProviderNumber: activity.ceBrokerProviderNumber ?? '',
    ceBrokerCourseNumber: activity.ceBrokerCourseNumber ?? '',
    designations: creditTypes.map((creditType) => {
      const row = designations.get(creditType);
      return {
        creditType,
        label: creditTypeLabels[creditType],
        designated: Boolean(row),
        maximum: row ? String(row.maximum) : '',
        statement: row?.statement ?? '',
        uan: row?.uan ?? '',
        acpeCreditType: row?.acpeCreditType ?? '',
      };
    }),
    moduleSlugs: requirements?.moduleSlugs ?? [],
    sessionsCohortId: requirements?.sessions?.cohortId ? String(requirements.sessions.cohortId) : '',
    sessionsCount: requirements?.sessions?.count ? String(requirements.sessions.count) : '',
    passPercent: requirements?.postTest?.passPercent ? String(requirements.postTest.passPercent) : '',
    postTest: (requirements?.postTest?.questions ?? []).map((question) => ({
      text: question.text,
      options: Array.from({ length: optionSlots }, (_, slot) => question.options[slot] ?? ''),
      correct: question.correct === undefined || question.correct === null ? '' : String(question.correct),
    })),
    evaluationRequired: requirements?.evaluationRequired ?? true,
    evaluation: (requirements?.evaluationQuestions ?? []).map((question) => ({
      text: question.text,
      kind: question.kind,
    })),
    disclosures: activity.disclosures.map((row) => ({
      name: row.name,
      role: row.role,
      company: row.company,
      relationship: row.relationship,
      mitigated: row.mitigated,
    })),
    courseIds: activity.courseIds.map(String),
  };
  // Credit types not designated yet get the usual wording, ready if the admin ticks them.
  return withUsualWording(form, true);
}
