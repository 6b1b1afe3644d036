import type { CmeActivity } from '../../../../src/cme';
import { inputFromForm, readActivityForm } from '../../../../src/cme/activities/activity.form';
import {
  activityInputSchema,
  designationStatementFor,
  publishProblems,
  uanPattern,
} from '../../../../src/cme/activities';

describe('designation statements', () => {
  it('when AMA credit is designated for enduring material, then the statement is AMA’s wording word for word', () => {
    expect(
      designationStatementFor('ama-pra-1', {
        providerName: 'Mercy Health CME',
        format: 'enduring',
        maximum: 1.25,
      }),
    ).toBe(
      'Mercy Health CME designates this enduring material for a maximum of 1.25 AMA PRA Category 1 Credits™. ' +
        'Physicians should claim only the credit commensurate with the extent of their participation in the activity.',
    );
  });

  it('when a live activity offers 1 credit, then it reads "live activity" and "Credit™" in the singular', () => {
    expect(
      designationStatementFor('ama-pra-1', { providerName: 'Mercy', format: 'live', maximum: 1 }),
    ).toContain('Mercy designates this live activity for a maximum of 1 AMA PRA Category 1 Credit™.');
  });

  it('when the provider or maximum is unknown, then placeholders stay, and saving refuses them', () => {
    const statement = designationStatementFor('ama-pra-1', {
      providerName: '',
      format: 'enduring',
      maximum: NaN,
    });
    expect(statement).toContain('[Provider] designates this enduring material for a maximum of [N]');
    const parsed = activityInputSchema.safeParse({
      ...validInput(),
      designations: [{ creditType: 'ama-pra-1', maximum: 1, statement }],
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.message).toContain('Replace [Provider] and [N]');
  });
});

function validInput() {
  return {
    title: 'Night shifts',
    format: 'enduring' as const,
    providerName: 'Mercy Health CME',
    accreditation: 'joint' as const,
    accreditationStatement: 'Jointly accredited.',
    startDate: '2026-01-01',
    endDate: '2026-12-31',
  };
}

describe('activity checks', () => {
  it('when ACPE credit names a UAN, then only the ACPE format passes', () => {
    expect(uanPattern.test('0000-0000-26-001-L04-P')).toBe(true);
    expect(uanPattern.test('JA0000123-0000-26-001-H01-T')).toBe(true);
    expect(uanPattern.test('0000-0000-26-001-X04-P')).toBe(false);
    expect(uanPattern.test('0000-0000-26-1-L04-P')).toBe(false);
  });

  it('when maximums are not positive quarter steps, then they are refused; 1.25 passes', () => {
    for (const maximum of [1.3, 0, -1, 0.1]) {
      const parsed = activityInputSchema.safeParse({
        ...validInput(),
        designations: [{ creditType: 'ancc', maximum, statement: 'Two hours.' }],
      });
      expect(parsed.success).toBe(false);
    }
    expect(
      activityInputSchema.safeParse({
        ...validInput(),
        designations: [{ creditType: 'ancc', maximum: 1.25, statement: 'Hours.' }],
      }).success,
    ).toBe(true);
  });

  it('when the evaluation is required, then it starts with questions; a draft without any is refused at the field', () => {
    const parsed = activityInputSchema.safeParse({
      ...validInput(),
      requirements: { evaluationQuestions: [] },
    });
    expect(parsed.error!.issues[0]!.path).toEqual(['requirements', 'evaluationQuestions']);
  });
});

describe('reading the form', () => {
  it('when rows are left blank, then they are dropped, and a checked path maps back to the row the admin typed in', () => {
    const form = readActivityForm({
      ...validInput(),
      'designation.ancc.designated': 'yes',
      'designation.ancc.maximum': '1.3',
      'designation.ancc.statement': 'Hours.',
      'disclosure.0.name': '',
      'disclosure.1.name': 'Dr. Bo Chen',
      'disclosure.1.company': 'Acme',
      passPercent: '',
      'postTest.0.text': '',
      'postTest.0.option.0': '',
    });
    const { input, fieldFor } = inputFromForm(form);
    expect(input.designations).toEqual([expect.objectContaining({ creditType: 'ancc', maximum: 1.3 })]);
    expect(input.disclosures).toHaveLength(1);
    expect(input.requirements?.postTest).toBeNull();
    expect(fieldFor('designations.0.maximum')).toBe('designation.ancc.maximum');
    expect(fieldFor('disclosures.0.relationship')).toBe('disclosure.1.relationship');
    expect(fieldFor('requirements.sessions.count')).toBe('sessionsCount');
  });
});

describe('publishing', () => {
  const base = {
    format: 'live',
    designations: [{ creditType: 'ama-pra-1', maximum: 1, statement: 'x' }],
    requirements: { moduleSlugs: [], evaluationRequired: true, evaluationQuestions: [] },
    disclosures: [{ name: 'Dr. Li', role: 'planner', company: '', relationship: '', mitigated: false }],
  } as unknown as CmeActivity;

  it('when a live activity has a designation and disclosures, then nothing stops publishing', () => {
    expect(publishProblems(base)).toEqual([]);
  });

  it('when a relationship is not mitigated and nothing is designated, then both are named', () => {
    const problems = publishProblems({
      ...base,
      designations: [],
      disclosures: [
        { name: 'Dr. Chen', role: 'faculty', company: 'Acme', relationship: 'Speaker', mitigated: false },
      ],
    } as unknown as CmeActivity);
    expect(problems.map((problem) => problem.message)).toEqual([
      'Designate at least one credit type with its maximum.',
      'Mitigate Dr. Chen’s relationship with Acme before publishing.',
    ]);
  });
});
