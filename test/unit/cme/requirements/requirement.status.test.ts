import { requirementStatus, type RequirementFacts } from '../../../../src/cme/requirements';

const cohortId = '65f000000000000000000001';

const activity = {
  key: 'burnout-series',
  requirements: {
    moduleSlugs: ['stress-first-aid', 'second-victim'],
    sessions: { cohortId, count: 2 },
    postTest: {
      passPercent: 80,
      questions: [{ text: 'Q', kind: 'choice', options: ['a', 'b'], correct: 1 }],
    },
    evaluationRequired: true,
    evaluationQuestions: [],
  },
} as unknown as Parameters<typeof requirementStatus>[0];

function facts(overrides: Partial<RequirementFacts> = {}): RequirementFacts {
  return {
    completions: [],
    attendance: [],
    postTestAttempts: [],
    evaluation: null,
    moduleTitles: { 'stress-first-aid': 'Stress First Aid', 'second-victim': 'After an adverse event' },
    cohortName: 'Resident wellness',
    timeZone: 'America/Chicago',
    now: new Date('2025-06-01T12:00:00Z'),
    ...overrides,
  };
}

const session = (iso: string, present = true) => ({
  cohortId,
  occurrenceStart: new Date(iso),
  durationMinutes: 60,
  present,
});

describe('requirementStatus', () => {
  it('when nothing is done, then every requirement is unmet, in order, each with a link to where it is met', () => {
    const report = requirementStatus(activity, facts());
    expect(report.allMet).toBe(false);
    expect(report.completedAt).toBeNull();
    expect(report.completionDate).toBeNull();
    expect(report.requirements.map((item) => [item.kind, item.met, item.link])).toEqual([
      ['module', false, '/modules/stress-first-aid'],
      ['module', false, '/modules/second-victim'],
      ['sessions', false, `/cohorts/${cohortId}/sessions`],
      ['post-test', false, '/cme/activities/burnout-series/post-test'],
      ['evaluation', false, '/cme/activities/burnout-series/evaluation'],
    ]);
    expect(report.requirements[0]!.label).toBe('Complete the module “Stress First Aid”');
    expect(report.requirements[2]!.label).toBe('Attend 2 sessions of “Resident wellness”');
    expect(report.requirements[3]!.label).toBe('Pass the post-test (pass mark 80%)');
  });

  it('when one session of two was attended and one missed, then it says what is left', () => {
    const report = requirementStatus(
      activity,
      facts({ attendance: [session('2025-03-01T15:00:00Z'), session('2025-03-08T15:00:00Z', false)] }),
    );
    const sessions = report.requirements.find((item) => item.kind === 'sessions')!;
    expect(sessions.met).toBe(false);
    expect(sessions.detail).toBe('1 of 2 attended: 1 more session to attend.');
  });

  it('when a post-test was failed, then the best score and the pass mark are shown', () => {
    const report = requirementStatus(
      activity,
      facts({
        postTestAttempts: [{ passed: false, score: 50, submittedAt: new Date('2025-03-01T15:00:00Z') }],
      }),
    );
    expect(report.requirements.find((item) => item.kind === 'post-test')!.detail).toBe(
      'Not passed yet: your best score is 50%, the pass mark 80%.',
    );
  });

  it('when everything is done, then it is completed at the last requirement met: the evaluation here', () => {
    const report = requirementStatus(
      activity,
      facts({
        completions: [
          { slug: 'stress-first-aid', completedAt: new Date('2025-03-02T10:00:00Z') },
          { slug: 'second-victim', completedAt: new Date('2025-03-03T10:00:00Z') },
          // A later completion of another version does not move the date the requirement was met.
          { slug: 'second-victim', completedAt: new Date('2025-05-03T10:00:00Z') },
        ],
        attendance: [
          session('2025-03-01T15:00:00Z'),
          session('2025-03-08T15:00:00Z'),
          session('2025-04-08T15:00:00Z'),
        ],
        postTestAttempts: [
          { passed: false, score: 0, submittedAt: new Date('2025-03-09T10:00:00Z') },
          { passed: true, score: 100, submittedAt: new Date('2025-03-09T11:00:00Z') },
        ],
        evaluation: { submittedAt: new Date('2025-03-10T16:00:00Z') },
      }),
    );
    expect(report.allMet).toBe(true);
    expect(report.completedAt).toEqual(new Date('2025-03-10T16:00:00Z'));
    expect(report.completionDate).toBe('2025-03-10');
    // Met when the second attended session ended (15:00 + 60 minutes).
    expect(report.requirements.find((item) => item.kind === 'sessions')!.metAt).toEqual(
      new Date('2025-03-08T16:00:00Z'),
    );
  });

  it('when the last requirement was met at 23:30 in Chicago, then the completion date is the Chicago date, not UTC’s', () => {
    const onlyModules = {
      ...activity,
      requirements: { moduleSlugs: ['stress-first-aid'], evaluationRequired: false },
    };
    // 23:30 on 14 March 2025 in Chicago (CDT, UTC−5) is 04:30 on 15 March in UTC.
    const report = requirementStatus(
      onlyModules as typeof activity,
      facts({ completions: [{ slug: 'stress-first-aid', completedAt: new Date('2025-03-15T04:30:00Z') }] }),
    );
    expect(report.completionDate).toBe('2025-03-14');
    expect(report.requirements[0]!.detail).toBe('Completed on 14 March 2025.');
  });

  it('when an activity requires nothing (evaluation off), then it is completed now', () => {
    const nothing = { key: 'talk', requirements: { moduleSlugs: [], evaluationRequired: false } };
    const report = requirementStatus(nothing as unknown as typeof activity, facts());
    expect(report).toMatchObject({ allMet: true, requirements: [], completionDate: '2025-06-01' });
  });
});
