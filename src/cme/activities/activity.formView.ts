import type { ActivityForm } from './activity.form';
import { acpeCreditTypes } from './activity.schemas';
import { accreditationLabels, formatLabels, type FormChoices } from './activity.pages';

/** The id of a form field's input: its name with dashes for dots (`designation-ama-pra-1-statement`). */
export const idOf = (name: string) => name.replace(/\./g, '-');

/** Errors of the form keyed by field name, and the summary linking to each. */
export function errorSummaryOf(errors: Record<string, string>, choices: FormChoices) {
  const hrefOf = (name: string) => {
    if (name === 'moduleSlugs') return `#module-${choices.modules[0]?.slug ?? ''}`;
    if (name === 'courseIds') return `#course-${choices.courses[0]?.id ?? ''}`;
    return `#${idOf(name)}`;
  };
  return Object.entries(errors).map(([name, message]) => ({ href: hrefOf(name), message }));
}

/**
 * What the form template shows. Every input is a field {id, name, value, error} (the template has no string
 * helpers), values as typed, choices ticked or selected.
 */
export function activityFormView(form: ActivityForm, errors: Record<string, string>, choices: FormChoices) {
  const field = (name: string, value: string | boolean) => ({
    id: idOf(name),
    name,
    value,
    error: errors[name],
  });
  const options = (labels: Record<string, string>, chosen: string) =>
    Object.entries(labels).map(([value, label]) => ({ value, label, selected: value === chosen }));
  const top = (name: keyof ActivityForm) => field(name, form[name] as string);
  return {
    fieldErrors: errors,
    fields: {
      title: top('title'),
      description: top('description'),
      format: top('format'),
      startDate: top('startDate'),
      endDate: top('endDate'),
      location: top('location'),
      accmeActivityId: top('accmeActivityId'),
      ceBrokerProviderNumber: top('ceBrokerProviderNumber'),
      ceBrokerCourseNumber: top('ceBrokerCourseNumber'),
      providerName: top('providerName'),
      accreditation: top('accreditation'),
      accreditationStatement: top('accreditationStatement'),
      sessionsCohortId: top('sessionsCohortId'),
      sessionsCount: top('sessionsCount'),
      passPercent: top('passPercent'),
      evaluationRequired: field('evaluationRequired', form.evaluationRequired),
      moduleSlugs: field('moduleSlugs', ''),
      courseIds: field('courseIds', ''),
    },
    formats: options(formatLabels, form.format),
    accreditations: options(accreditationLabels, form.accreditation),
    designations: form.designations.map((row) => {
      const at = (name: string, value: string | boolean) =>
        field(`designation.${row.creditType}.${name}`, value);
      return {
        label: row.label,
        offer: `Offer ${row.label}`,
        isAcpe: row.creditType === 'acpe',
        designated: at('designated', row.designated),
        maximum: at('maximum', row.maximum),
        statement: at('statement', row.statement),
        uan: at('uan', row.uan),
        acpeCreditType: at('acpeCreditType', row.acpeCreditType),
        acpeCreditTypes: acpeCreditTypes.map((value) => ({
          value,
          label: `${value[0]!.toUpperCase()}${value.slice(1)}-based`,
          selected: value === row.acpeCreditType,
        })),
      };
    }),
    modules: choices.modules.map((module) => ({
      ...module,
      checked: form.moduleSlugs.includes(module.slug),
    })),
    cohorts: choices.cohorts.map((cohort) => ({ ...cohort, selected: cohort.id === form.sessionsCohortId })),
    courses: choices.courses.map((course) => ({ ...course, checked: form.courseIds.includes(course.id) })),
    postTest: form.postTest.map((row, index) => ({
      number: index + 1,
      text: field(`postTest.${index}.text`, row.text),
      options: row.options.map((value, slot) => ({
        label: `Answer ${slot + 1}`,
        ...field(`postTest.${index}.option.${slot}`, value),
      })),
      correct: {
        ...field(`postTest.${index}.correct`, row.correct),
        choices: row.options.map((_, slot) => ({
          value: String(slot),
          label: `Answer ${slot + 1}`,
          selected: row.correct === String(slot),
        })),
      },
    })),
    evaluation: form.evaluation.map((row, index) => ({
      number: index + 1,
      text: field(`evaluation.${index}.text`, row.text),
      kind: { ...field(`evaluation.${index}.kind`, row.kind), scale: row.kind !== 'text' },
    })),
    disclosures: form.disclosures.map((row, index) => ({
      number: index + 1,
      name: field(`disclosure.${index}.name`, row.name),
      role: {
        ...field(`disclosure.${index}.role`, row.role),
        planner: row.role === 'planner',
        faculty: row.role === 'faculty',
      },
      company: field(`disclosure.${index}.company`, row.company),
      relationship: field(`disclosure.${index}.relationship`, row.relationship),
      mitigated: field(`disclosure.${index}.mitigated`, row.mitigated),
    })),
  };
}
