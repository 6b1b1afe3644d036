import {
  applyAgreement,
  applyGoalEdit,
  applyMilestoneDone,
  applyNewGoal,
  type PlanState,
} from '../../../../src/cohorts/plans/plan.changes';
import { goalFormSchema } from '../../../../src/cohorts/plans/plan.schemas';
import { ConflictError } from '../../../../src/shared/errors';

function emptyPlan(): PlanState {
  return { agreement: { meetingCadence: '', expectations: '', confidentiality: '', revision: 0 }, goals: [] };
}

const agreement = { meetingCadence: 'Every two weeks', expectations: '', confidentiality: '', revision: 0 };

describe('the agreement', () => {
  it('when a field is set, changed and cleared, then each change reads in words with before and after', () => {
    const plan = emptyPlan();
    expect(applyAgreement(plan, agreement)).toEqual(['Meeting cadence set to “Every two weeks”']);
    expect(applyAgreement(plan, { ...agreement, meetingCadence: 'Weekly', revision: 1 })).toEqual([
      'Meeting cadence: “Every two weeks” → “Weekly”',
    ]);
    expect(applyAgreement(plan, { ...agreement, meetingCadence: '', revision: 2 })).toEqual([
      'Meeting cadence cleared (was “Weekly”)',
    ]);
  });

  it('when nothing changed, then there is nothing to record', () => {
    const plan = emptyPlan();
    expect(applyAgreement(plan, { ...agreement, meetingCadence: '' })).toEqual([]);
    expect(plan.agreement.revision).toBe(0);
  });

  it('when the form was made before someone else saved, then it is refused as a conflict', () => {
    const plan = emptyPlan();
    applyAgreement(plan, agreement);
    expect(() => applyAgreement(plan, { ...agreement, meetingCadence: 'Monthly', revision: 0 })).toThrow(
      ConflictError,
    );
  });
});

describe('goals and milestones', () => {
  const form = goalFormSchema.parse({
    title: 'Publish a case report',
    milestoneTitle0: 'Choose the case',
    milestoneDate0: '2026-03-31',
    milestoneTitle1: 'First draft',
  });

  it('when the form has blank rows, then they are dropped and the filled ones kept in order', () => {
    expect(form.milestones).toEqual([
      { title: 'Choose the case', targetDate: '2026-03-31', done: false },
      { title: 'First draft', targetDate: '', done: false },
    ]);
  });

  it('when a row has a date but no title, or a date that does not exist, then the row is refused at its field', () => {
    const result = goalFormSchema.safeParse({ title: 'Goal', milestoneDate2: '2026-02-30' });
    expect(result.success).toBe(false);
    const paths = result.error!.issues.map((issue) => issue.path[0]);
    expect(paths).toEqual(expect.arrayContaining(['milestoneDate2', 'milestoneTitle2']));
  });

  it('when a goal is added, renamed and a milestone ticked, then each step is recorded and the revision moves', () => {
    const plan = emptyPlan();
    const now = new Date('2026-01-10T12:00:00Z');
    expect(applyNewGoal(plan, form, now)).toEqual(['Added goal “Publish a case report” with 2 milestones']);
    const goal = plan.goals[0]!;
    const [first, second] = goal.milestones;
    const edit = goalFormSchema.parse({
      title: 'Publish a case report in a journal',
      revision: '1',
      milestoneId0: String(first!._id),
      milestoneTitle0: 'Choose the case',
      milestoneDate0: '2026-04-15',
      milestoneDone0: 'yes',
      milestoneTitle1: 'Submit',
    });
    void second;
    expect(applyGoalEdit(plan, String(goal._id), edit)).toEqual([
      'Goal “Publish a case report” renamed “Publish a case report in a journal”',
      'Goal “Publish a case report in a journal”: milestone “Choose the case”: target date 31 Mar 2026 → 15 Apr 2026',
      'Goal “Publish a case report in a journal”: milestone “Choose the case” marked done',
      'Goal “Publish a case report in a journal”: milestone “Submit” added',
      'Goal “Publish a case report in a journal”: milestone “First draft” removed',
    ]);
    expect(goal.revision).toBe(2);
    expect(String(goal.milestones[0]!._id)).toBe(String(first!._id));
    expect(() => applyMilestoneDone(plan, String(goal._id), String(first!._id), false, 1)).toThrow(
      ConflictError,
    );
    expect(applyMilestoneDone(plan, String(goal._id), String(first!._id), false, 2)).toEqual([
      'Goal “Publish a case report in a journal”: milestone “Choose the case” marked not done',
    ]);
  });
});
