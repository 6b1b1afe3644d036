import {
  keywordsOf,
  scorePair,
  suggestPairs,
  type ScoredProfile,
} from '../../../../src/cohorts/matching/matching.score';

function profile(overrides: Partial<ScoredProfile> & { userId: string; name: string }): ScoredProfile {
  return {
    specialty: '',
    goals: '',
    availability: [],
    preferences: '',
    offers: '',
    offerTags: [],
    ...overrides,
  };
}

const garcia = profile({
  userId: 'm1',
  name: 'Dr. García',
  profession: 'physician',
  professionWords: 'physicians',
  specialty: 'Internal medicine',
  careerStage: 'senior',
  availability: ['weekday-evenings', 'weekends'],
  offers: 'Research mentoring and leadership; I trained in Spain before my residency here.',
  offerTags: ['trained abroad', 'Spanish'],
});
const okafor = profile({
  userId: 'm2',
  name: 'Dr. Okafor',
  profession: 'nurse',
  professionWords: 'nurses',
  specialty: 'Oncology nursing',
  careerStage: 'mid-career',
  availability: ['weekday-mornings'],
});
const patel = profile({
  userId: 'e1',
  name: 'Dr. Patel',
  profession: 'physician',
  professionWords: 'physicians',
  specialty: 'internal  medicine',
  careerStage: 'resident',
  availability: ['weekday-evenings'],
  goals: 'Start a research project',
  preferences: 'A mentor who also trained abroad, like me',
});

describe('scoring one mentor for one mentee', () => {
  it('when both share profession, specialty and evenings and the mentor is senior, then each shows as a reason in words', () => {
    const result = scorePair(garcia, patel);
    const texts = result.reasons.map((reason) => reason.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'Both physicians',
        'Both internal medicine',
        'Dr. García is further along (senior) than Dr. Patel (in training)',
        'Both free on weekday evenings',
      ]),
    );
    expect(texts.some((text) => text.includes('research'))).toBe(true);
    expect(result.score).toBeGreaterThan(80);
    expect(result.score).toBeLessThanOrEqual(100);
  });

  it('when the mentee asked for something the mentor offers, then the reason says so and is marked private', () => {
    const reason = scorePair(garcia, patel).reasons.find((item) => item.text.includes('asked for'));
    expect(reason).toEqual({
      text: 'Dr. Patel asked for “trained abroad”: Dr. García offers it',
      private: true,
    });
    // Every other reason quotes nobody's preferences.
    expect(scorePair(garcia, patel).reasons.filter((item) => item.private)).toHaveLength(1);
  });

  it('when nothing matches, then the score is low and a lack of shared time is said plainly', () => {
    const result = scorePair(okafor, patel);
    expect(result.score).toBeLessThan(30);
    expect(result.reasons.map((reason) => reason.text)).toContain('No free time in common');
  });

  it('when words differ only by a plural or accents, then they still match', () => {
    expect([...keywordsOf('Trained abroad; Cardiología, residents')]).toEqual(
      expect.arrayContaining(['trained', 'abroad', 'cardiologia', 'resident']),
    );
  });
});

describe('suggesting pairs within capacity', () => {
  const mentees = ['a', 'b', 'c', 'd'].map((id) =>
    profile({ userId: `e-${id}`, name: `Mentee ${id.toUpperCase()}`, specialty: 'Internal medicine' }),
  );

  it('when mentors have room for three of four mentees, then three are suggested and one is left without a mentor', () => {
    const { suggestions, unmatchedMenteeIds } = suggestPairs(
      [
        { profile: garcia, remaining: 2 },
        { profile: okafor, remaining: 1 },
      ],
      mentees,
    );
    expect(suggestions).toHaveLength(3);
    expect(suggestions.filter((item) => item.mentorId === 'm1')).toHaveLength(2);
    expect(suggestions.filter((item) => item.mentorId === 'm2')).toHaveLength(1);
    expect(unmatchedMenteeIds).toHaveLength(1);
    expect(new Set(suggestions.map((item) => item.menteeId)).size).toBe(3);
  });

  it('when a mentor has no room left, then they get no suggestion', () => {
    const { suggestions } = suggestPairs(
      [
        { profile: garcia, remaining: 0 },
        { profile: okafor, remaining: 5 },
      ],
      mentees,
    );
    expect(suggestions.every((item) => item.mentorId === 'm2')).toBe(true);
    expect(suggestions).toHaveLength(4);
  });

  it('when the same profiles come in another order, then the suggestions are the same', () => {
    const mentors = [
      { profile: garcia, remaining: 1 },
      { profile: okafor, remaining: 1 },
    ];
    const first = suggestPairs(mentors, [patel, ...mentees]).suggestions;
    const second = suggestPairs([...mentors].reverse(), [...mentees].reverse().concat(patel)).suggestions;
    const key = (items: typeof first) => items.map((item) => `${item.menteeId}-${item.mentorId}`).sort();
    expect(key(second)).toEqual(key(first));
    // The best fit wins: Dr. Patel gets Dr. García.
    expect(first.find((item) => item.menteeId === 'e1')?.mentorId).toBe('m1');
  });
});
