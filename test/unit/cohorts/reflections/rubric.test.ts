import { parseAssignmentForm } from '../../../../src/cohorts/reflections/assignment.schemas';
import { chooseLevels, rubricMaximum, scoreOf } from '../../../../src/cohorts/reflections/rubric';
import { reflectionFormSchema } from '../../../../src/cohorts/reflections/reflection.schemas';

const rubric = {
  criteria: [
    {
      title: 'Insight',
      levels: [
        { label: 'Emerging', points: 1 },
        { label: 'Proficient', points: 3 },
      ],
    },
    {
      title: 'Plan',
      levels: [
        { label: 'Missing', points: 0 },
        { label: 'Clear', points: 4.5 },
      ],
    },
  ],
};

describe('rubric scores', () => {
  it('when the maximum is asked, then it is the sum of each criterion’s best level', () => {
    expect(rubricMaximum(rubric)).toBe(7.5);
  });

  it('when a level is chosen for every criterion, then the score is their sum and each is named', () => {
    const { levels, errors } = chooseLevels(rubric, { level_0: '1', level_1: '0' }, { required: true });
    expect(errors).toEqual({});
    expect(scoreOf(levels)).toBe(3);
    expect(levels[0]).toEqual({
      criterion: 0,
      criterionTitle: 'Insight',
      level: 1,
      label: 'Proficient',
      points: 3,
    });
  });

  it.each([
    [{ level_1: '0' }, { level_0: 'Choose a level for “Insight”.' }],
    [{ level_0: '2', level_1: '0' }, { level_0: 'Choose one of the levels shown for “Insight”.' }],
    [{ level_0: '0', level_1: '-1' }, { level_1: 'Choose one of the levels shown for “Plan”.' }],
    [{ level_0: '0', level_1: '1e0' }, { level_1: 'Choose one of the levels shown for “Plan”.' }],
  ])('when the form sends %j, then the error is at that criterion', (fields, expected) => {
    expect(chooseLevels(rubric, fields, { required: true }).errors).toEqual(expected);
  });

  it('when returning for revision, then levels are optional', () => {
    expect(chooseLevels(rubric, {}, { required: false })).toEqual({ levels: [], errors: {} });
  });
});

describe('the assignment form', () => {
  const fields = {
    title: 'Week one',
    prompt: 'What happened?',
    dueDate: '2026-11-01',
    dueTime: '17:00',
    c0_title: 'Insight',
    c0_l0_label: 'Emerging',
    c0_l0_points: '1',
    c0_l1_label: 'Proficient',
    c0_l1_points: '3',
  };

  it('when the due date is given in Chicago on the day clocks go back, then it is stored as that wall time (CST, UTC−6)', () => {
    const parsed = parseAssignmentForm(fields, 'America/Chicago');
    expect(parsed.ok && parsed.value.dueAt.toISOString()).toBe('2026-11-01T23:00:00.000Z');
    expect(parsed.ok && parsed.value.rubric.criteria).toHaveLength(1);
  });

  it('when blank rubric rows are sent, then they are ignored; a half-filled row is an error at its field', () => {
    expect(parseAssignmentForm({ ...fields, c3_title: '  ' }, 'UTC').ok).toBe(true);
    const parsed = parseAssignmentForm({ ...fields, c2_l0_points: '2' }, 'UTC');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.errors).toEqual({
      c2_title: 'Name this criterion, or clear its levels.',
      c2_l0_label: 'Name this level, like “Proficient”.',
    });
  });

  it('when there is no criterion at all, then the first criterion says so', () => {
    const parsed = parseAssignmentForm(
      { title: 'x', prompt: 'y', dueDate: '2026-01-01', dueTime: '09:00' },
      'UTC',
    );
    expect(!parsed.ok && parsed.errors).toEqual({
      c0_title: 'Add at least one rubric criterion with its levels.',
    });
  });
});

describe('reflection text', () => {
  it('when Windows line breaks bring 20,000 visible characters to 20,100 sent, then it is accepted and stored with \\n', () => {
    const text = `${'a'.repeat(99)}\r\n`.repeat(200);
    const parsed = reflectionFormSchema.parse({ text, action: 'submit' });
    expect(parsed.text).toHaveLength(20_000);
    expect(parsed.text).not.toContain('\r');
  });

  it('when 20,001 characters are sent, then it is refused, saying how many it has', () => {
    const parsed = reflectionFormSchema.safeParse({ text: 'a'.repeat(20_001), action: 'save' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'Keep your reflection to 20,000 characters or fewer. It has 20,001: shorten it, then save again.',
    );
  });

  it('when an empty text is submitted, then it is refused; saved as a draft, it is fine', () => {
    expect(reflectionFormSchema.safeParse({ text: '  \n ', action: 'submit' }).success).toBe(false);
    expect(reflectionFormSchema.safeParse({ text: '', action: 'save' }).success).toBe(true);
  });
});
