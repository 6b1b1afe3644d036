import { creditTypeLabels, creditTypes, type CreditType } from '../core';
import type { ActivityInputDraft } from './activity.schemas';

/** Answers a post-test question offers on the form (blank ones are left out). */
export const optionSlots = 4;

export interface DesignationRow {
  creditType: CreditType;
  label: string;
  designated: boolean;
  maximum: string;
  statement: string;
  uan: string;
  acpeCreditType: string;
}
export interface QuestionRow {
  text: string;
  options: string[];
  /** The slot (0–3) of the right answer, or ''. */
  correct: string;
}
export interface EvaluationRow {
  text: string;
  kind: string;
}
export interface DisclosureRow {
  name: string;
  role: string;
  company: string;
  relationship: string;
  mitigated: boolean;
}

/** The activity form exactly as typed (strings and ticks), so a refused form shows everything again. */
export interface ActivityForm {
  title: string;
  description: string;
  format: string;
  providerName: string;
  accreditation: string;
  accreditationStatement: string;
  startDate: string;
  endDate: string;
  location: string;
  accmeActivityId: string;
  ceBrokerProviderNumber: string;
  ceBrokerCourseNumber: string;
  designations: DesignationRow[];
  moduleSlugs: string[];
  sessionsCohortId: string;
  sessionsCount: string;
  passPercent: string;
  postTest: QuestionRow[];
  evaluationRequired: boolean;
  evaluation: EvaluationRow[];
  disclosures: DisclosureRow[];
  courseIds: string[];
}

type Body = Record<string, unknown>;
const textOf = (body: Body, name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
const listOf = (body: Body, name: string) => {
  const value = body[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === 'string',
  );
};
export const blankQuestion = (): QuestionRow => ({
  text: '',
  options: Array(optionSlots).fill(''),
  correct: '',
});
export const blankDisclosure = (): DisclosureRow => ({
  name: '',
  role: '',
  company: '',
  relationship: '',
  mitigated: false,
});

/** Rows numbered `prefix.0.…`, `prefix.1.…` in the body, up to the first index none of whose fields is there. */
function rowsOf<Row>(
  body: Body,
  prefix: string,
  read: (at: (field: string) => string, index: number) => Row,
): Row[] {
  const rows: Row[] = [];
  for (let index = 0; index < 50; index += 1) {
    const names = Object.keys(body).filter((name) => name.startsWith(`${prefix}.${index}.`));
    if (names.length === 0) break;
    rows.push(read((field) => textOf(body, `${prefix}.${index}.${field}`), index));
  }
  return rows;
}

/** Reads the posted form (flat field names) into what was typed. */
export function readActivityForm(body: unknown): ActivityForm {
  const fields = (body ?? {}) as Body;
  return {
    title: textOf(fields, 'title'),
    description: textOf(fields, 'description'),
    format: textOf(fields, 'format'),
    providerName: textOf(fields, 'providerName'),
    accreditation: textOf(fields, 'accreditation'),
    accreditationStatement: textOf(fields, 'accreditationStatement'),
    startDate: textOf(fields, 'startDate'),
    endDate: textOf(fields, 'endDate'),
    location: textOf(fields, 'location'),
    accmeActivityId: textOf(fields, 'accmeActivityId'),
    ceBrokerProviderNumber: textOf(fields, 'ceBrokerProviderNumber'),
    ceBrokerCourseNumber: textOf(fields, 'ceBrokerCourseNumber'),
    designations: creditTypes.map((creditType) => {
      const at = (field: string) => textOf(fields, `designation.${creditType}.${field}`);
      return {
        creditType,
        label: creditTypeLabels[creditType],
        designated: at('designated') === 'yes',
        maximum: at('maximum'),
        statement: at('statement'),
        uan: at('uan'),
        acpeCreditType: at('acpeCreditType'),
      };
    }),
    moduleSlugs: listOf(fields, 'moduleSlugs'),
    sessionsCohortId: textOf(fields, 'sessionsCohortId'),
    sessionsCount: textOf(fields, 'sessionsCount'),
    passPercent: textOf(fields, 'passPercent'),
    postTest: rowsOf(fields, 'postTest', (at) => ({
      text: at('text'),
      options: Array.from({ length: optionSlots }, (_, slot) => at(`option.${slot}`)),
      correct: at('correct'),
    })),
    evaluationRequired: textOf(fields, 'evaluationRequired') === 'yes',
    evaluation: rowsOf(fields, 'evaluation', (at) => ({ text: at('text'), kind: at('kind') })),
    disclosures: rowsOf(fields, 'disclosure', (at) => ({
      name: at('name'),
      role: at('role'),
      company: at('company'),
      relationship: at('relationship'),
      mitigated: at('mitigated') === 'yes',
    })),
    courseIds: listOf(fields, 'courseIds'),
  };
}

/** A number as typed: empty stays undefined (the schema says "enter …"), anything else a number or NaN. */
const numberOf = (typed: string) => (typed.trim() === '' ? undefined : Number(typed.trim()));

/** The content the form describes, and for each checked path (`designations.0.maximum`) the form field to mark. */
export function inputFromForm(form: ActivityForm): {
  input: ActivityInputDraft;
  fieldFor: (path: string) => string;
} {
  const designated = form.designations.filter((row) => row.designated);
  const questionRows = form.postTest
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => row.text.trim() !== '' || row.options.some((option) => option.trim() !== ''));
  const evaluationRows = form.evaluation
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => row.text.trim() !== '');
  const disclosureRows = form.disclosures
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => [row.name, row.company, row.relationship].some((value) => value.trim() !== ''));
  const hasPostTest = form.passPercent.trim() !== '' || questionRows.length > 0;
  const hasSessions = form.sessionsCohortId !== '' || form.sessionsCount.trim() !== '';

  const input: ActivityInputDraft = {
    title: form.title,
    description: form.description,
    format: form.format as ActivityInputDraft['format'],
    providerName: form.providerName,
    accreditation: form.accreditation as ActivityInputDraft['accreditation'],
    accreditationStatement: form.accreditationStatement,
    startDate: form.startDate,
    endDate: form.endDate,
    location: form.location,
    accmeActivityId: form.accmeActivityId,
    ceBrokerProviderNumber: form.ceBrokerProviderNumber,
    ceBrokerCourseNumber: form.ceBrokerCourseNumber,
    designations: designated.map((row) => ({
      creditType: row.creditType,
      maximum: numberOf(row.maximum) as number,
      statement: row.statement,
      uan: row.uan,
      acpeCreditType: row.acpeCreditType as 'knowledge',
    })),
    requirements: {
      moduleSlugs: form.moduleSlugs,
      sessions: hasSessions
        ? { cohortId: form.sessionsCohortId, count: numberOf(form.sessionsCount) as number }
        : null,
      postTest: hasPostTest
        ? {
            passPercent: numberOf(form.passPercent) as number,
            questions: questionRows.map(({ row }) => {
              const given = row.options.map((option, slot) => ({ option: option.trim(), slot }));
              const kept = given.filter(({ option }) => option !== '');
              const correct = kept.findIndex(({ slot }) => String(slot) === row.correct);
              return {
                text: row.text,
                options: kept.map(({ option }) => option),
                // A blank or unchosen right answer: an index past the answers, which the schema refuses.
                correct:
                  row.correct === '' ? (undefined as unknown as number) : correct < 0 ? optionSlots : correct,
              };
            }),
          }
        : null,
      evaluationRequired: form.evaluationRequired,
      evaluationQuestions: evaluationRows.map(({ row }) => ({ text: row.text, kind: row.kind as 'scale' })),
    },
    disclosures: disclosureRows.map(({ row }) => ({ ...row, role: row.role as 'planner' })),
    courseIds: form.courseIds,
  };

  const fieldFor = (path: string): string => {
    const [head, second, third, fourth] = path.split('.');
    if (head === 'designations') {
      const row = second !== undefined ? designated[Number(second)] : undefined;
      return row ? `designation.${row.creditType}.${third ?? 'maximum'}` : 'designation.ama-pra-1.designated';
    }
    if (head === 'disclosures') {
      const row = second !== undefined ? disclosureRows[Number(second)] : undefined;
      return row ? `disclosure.${row.index}.${third ?? 'name'}` : 'disclosure.0.name';
    }
    if (head === 'courseIds') return 'courseIds';
    if (head !== 'requirements') return head ?? 'title';
    if (second === 'moduleSlugs') return 'moduleSlugs';
    if (second === 'sessions') return third === 'count' ? 'sessionsCount' : 'sessionsCohortId';
    if (second === 'evaluationQuestions') {
      const row = third !== undefined ? evaluationRows[Number(third)] : undefined;
      return `evaluation.${row?.index ?? 0}.${row ? (fourth ?? 'text') : 'text'}`;
    }
    if (second === 'postTest') {
      if (third !== 'questions') return 'passPercent';
      const row = fourth !== undefined ? questionRows[Number(fourth)] : undefined;
      const field = path.split('.')[5] ?? 'text';
      return `postTest.${row?.index ?? 0}.${field === 'options' ? 'option.0' : field}`;
    }
    return 'title';
  };
  return { input, fieldFor };
}
