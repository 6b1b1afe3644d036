/**
 * Mentor–mentee matching (issue 12, item 2), pure: a score of 0–100 for each possible pair, with reasons in words,
 * and a deterministic assignment that respects each mentor's remaining capacity. No database, no clock.
 */

export const careerStages = ['student', 'resident', 'early-career', 'mid-career', 'senior'] as const;
export type CareerStage = (typeof careerStages)[number];

/** What a person sees for each career stage (ordered from least to most experienced). */
export const careerStageLabels: Record<CareerStage, string> = {
  student: 'Student',
  resident: 'Resident, fellow or in training',
  'early-career': 'Early career (under 5 years in practice)',
  'mid-career': 'Mid career (5–15 years)',
  senior: 'Senior (over 15 years)',
};

/** Short words for reasons ("early career"). */
const careerStageWords: Record<CareerStage, string> = {
  student: 'student',
  resident: 'in training',
  'early-career': 'early career',
  'mid-career': 'mid career',
  senior: 'senior',
};

export const availabilitySlots = ['weekday-mornings', 'weekday-evenings', 'weekends'] as const;
export type AvailabilitySlot = (typeof availabilitySlots)[number];

export const availabilityLabels: Record<AvailabilitySlot, string> = {
  'weekday-mornings': 'weekday mornings',
  'weekday-evenings': 'weekday evenings',
  weekends: 'weekends',
};

/** The part of a matching profile that scoring reads. */
export interface ScoredProfile {
  userId: string;
  name: string;
  profession?: string;
  /** How the profession reads in a reason, plural ("nurses"). */
  professionWords?: string;
  specialty: string;
  careerStage?: CareerStage;
  goals: string;
  availability: AvailabilitySlot[];
  /** Private: used here only, never shown beyond the person and the cohort's managers. */
  preferences: string;
  offers: string;
  offerTags: string[];
}

/** One reason of a suggestion; `private` ones quote someone's preferences and stay on the matching page. */
export interface MatchReason {
  text: string;
  private: boolean;
}

export interface PairScore {
  mentorId: string;
  menteeId: string;
  score: number;
  reasons: MatchReason[];
}

/** Words that carry no meaning for matching ("a mentor who also…"). */
const stopWords = new Set(
  (
    'the and for with who also that this have has had was were are our your their from into about would like ' +
    'want wants someone mentor mentee mentors mentees person people some more most very just what when where ' +
    'which will can could should them they she her his him you not but all any help learn learning better ' +
    'get being how work working find other others same able way one two'
  ).split(' '),
);

/** Meaningful words of a text, folded (lower case, accents off, a plural "s" dropped). */
export function keywordsOf(text: string): Set<string> {
  const words = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 3 && !stopWords.has(word))
    .map((word) =>
      word.length > 4 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word,
    );
  return new Set(words);
}

function folded(text: string): string {
  return [...keywordsOf(text)].join(' ');
}

function shared(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((word) => b.has(word)).sort();
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

const points = {
  profession: 20,
  specialty: 25,
  careerStage: 15,
  availability: 15,
  goals: 10,
  preferences: 15,
};

function preferenceReasons(
  mentor: ScoredProfile,
  mentee: ScoredProfile,
): { score: number; reasons: MatchReason[] } {
  const reasons: MatchReason[] = [];
  let score = 0;
  const menteeWish = folded(mentee.preferences);
  // A tag the mentor offers, all of whose words the mentee's preferences contain ("trained abroad").
  const matchedTags = mentor.offerTags.filter((tag) => {
    const words = [...keywordsOf(tag)];
    return words.length > 0 && words.every((word) => menteeWish.split(' ').includes(word));
  });
  if (matchedTags.length > 0) {
    score += points.preferences;
    reasons.push({
      text: `${mentee.name} asked for ${listInWords(matchedTags.map((tag) => `“${tag}”`))}: ${mentor.name} offers it`,
      private: true,
    });
  } else if (mentee.preferences.trim()) {
    const words = shared(keywordsOf(mentee.preferences), keywordsOf(`${mentor.offers} ${mentor.specialty}`));
    if (words.length > 0) {
      score += Math.min(points.preferences, 5 * words.length);
      reasons.push({
        text: `${mentee.name}’s preferences mention what ${mentor.name} offers: ${listInWords(words.slice(0, 4))}`,
        private: true,
      });
    }
  }
  if (mentor.preferences.trim() && score < points.preferences) {
    const words = shared(
      keywordsOf(mentor.preferences),
      keywordsOf(`${mentee.goals} ${mentee.specialty} ${mentee.professionWords ?? ''}`),
    );
    if (words.length > 0) {
      score = Math.min(points.preferences, score + 5 * words.length);
      reasons.push({
        text: `${mentor.name}’s preferences fit ${mentee.name}: ${listInWords(words.slice(0, 4))}`,
        private: true,
      });
    }
  }
  return { score, reasons };
}

/** The score (0–100) and reasons in words of one mentor for one mentee. */
export function scorePair(mentor: ScoredProfile, mentee: ScoredProfile): PairScore {
  const reasons: MatchReason[] = [];
  let score = 0;
  const say = (text: string) => reasons.push({ text, private: false });

  if (mentor.profession && mentor.profession === mentee.profession) {
    score += points.profession;
    say(`Both ${mentor.professionWords ?? mentor.profession}`);
  }
  const mentorSpecialty = folded(mentor.specialty);
  if (mentorSpecialty && mentorSpecialty === folded(mentee.specialty)) {
    score += points.specialty;
    say(`Both ${mentor.specialty.trim().toLowerCase()}`);
  } else if (mentor.specialty.trim() && mentee.specialty.trim()) {
    const words = shared(keywordsOf(mentor.specialty), keywordsOf(mentee.specialty));
    if (words.length > 0) {
      score += Math.round(points.specialty / 2);
      say(`Related specialties: ${mentor.specialty.trim()} and ${mentee.specialty.trim()}`);
    }
  }
  if (mentor.careerStage && mentee.careerStage) {
    const gap = careerStages.indexOf(mentor.careerStage) - careerStages.indexOf(mentee.careerStage);
    if (gap > 0) {
      score += points.careerStage;
      say(
        `${mentor.name} is further along (${careerStageWords[mentor.careerStage]}) than ${mentee.name} (${careerStageWords[mentee.careerStage]})`,
      );
    } else if (gap === 0) {
      score += 5;
      say(`Same career stage (${careerStageWords[mentor.careerStage]}): more a peer than a mentor`);
    } else {
      say(`${mentor.name} is earlier in their career than ${mentee.name}`);
    }
  }
  const together = availabilitySlots.filter(
    (slot) => mentor.availability.includes(slot) && mentee.availability.includes(slot),
  );
  if (together.length > 0) {
    score += Math.min(points.availability, 10 + 5 * (together.length - 1));
    say(`Both free on ${listInWords(together.map((slot) => availabilityLabels[slot]))}`);
  } else if (mentor.availability.length > 0 && mentee.availability.length > 0) {
    say('No free time in common');
  }
  const goalWords = shared(
    keywordsOf(mentee.goals),
    keywordsOf(`${mentor.offers} ${mentor.offerTags.join(' ')} ${mentor.goals}`),
  );
  if (goalWords.length > 0) {
    score += Math.min(points.goals, 4 * goalWords.length);
    say(`${mentee.name}’s goals meet what ${mentor.name} offers: ${listInWords(goalWords.slice(0, 4))}`);
  }
  const preferences = preferenceReasons(mentor, mentee);
  score += preferences.score;
  reasons.push(...preferences.reasons);

  return {
    mentorId: mentor.userId,
    menteeId: mentee.userId,
    score: Math.max(0, Math.min(100, score)),
    reasons,
  };
}

/** A mentor as the assignment sees them: a profile and how many more mentees they can take. */
export interface MentorSlot {
  profile: ScoredProfile;
  remaining: number;
}

/**
 * Suggestions for mentees not yet paired: every mentor–mentee pair is scored, then the best pairs are taken
 * first (ties broken by names, then ids, so the same profiles always give the same suggestions), each mentee
 * once, each mentor up to their remaining capacity (several mentees make a small group). Mentees left over had
 * no mentor with room.
 */
export function suggestPairs(
  mentors: MentorSlot[],
  mentees: ScoredProfile[],
): { suggestions: PairScore[]; unmatchedMenteeIds: string[] } {
  const candidates: Array<PairScore & { mentorName: string; menteeName: string }> = [];
  for (const mentee of mentees) {
    for (const mentor of mentors) {
      if (mentor.remaining <= 0 || mentor.profile.userId === mentee.userId) continue;
      candidates.push({
        ...scorePair(mentor.profile, mentee),
        mentorName: mentor.profile.name,
        menteeName: mentee.name,
      });
    }
  }
  candidates.sort(
    (a, b) =>
      b.score - a.score ||
      a.menteeName.localeCompare(b.menteeName) ||
      a.mentorName.localeCompare(b.mentorName) ||
      a.menteeId.localeCompare(b.menteeId) ||
      a.mentorId.localeCompare(b.mentorId),
  );
  const remaining = new Map(mentors.map((mentor) => [mentor.profile.userId, mentor.remaining]));
  const assigned = new Set<string>();
  const suggestions: PairScore[] = [];
  for (const { mentorName, menteeName, ...candidate } of candidates) {
    void mentorName;
    void menteeName;
    if (assigned.has(candidate.menteeId) || (remaining.get(candidate.mentorId) ?? 0) <= 0) continue;
    assigned.add(candidate.menteeId);
    remaining.set(candidate.mentorId, remaining.get(candidate.mentorId)! - 1);
    suggestions.push(candidate);
  }
  const order = new Map(mentees.map((mentee, index) => [mentee.userId, index]));
  suggestions.sort((a, b) => order.get(a.menteeId)! - order.get(b.menteeId)!);
  return {
    suggestions,
    unmatchedMenteeIds: mentees.filter((mentee) => !assigned.has(mentee.userId)).map((m) => m.userId),
  };
}
