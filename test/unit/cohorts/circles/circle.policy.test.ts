import mongoose from 'mongoose';
import {
  canAnswer,
  canReadAnswer,
  canReadSharedAnswers,
  canWritePrompts,
  needsRulesAcceptance,
} from '../../../../src/cohorts/circles/circle.policy';
import { answerFormSchema, promptFormSchema } from '../../../../src/cohorts/circles/circles.schemas';
import type { OpenedCohort } from '../../../../src/cohorts';

function opened(options: {
  kind?: 'mentoring' | 'peer-circle';
  role?: 'member' | 'facilitator' | 'mentor';
  manages?: boolean;
  accepted?: boolean;
  rules?: string;
}): OpenedCohort {
  const cohort = {
    _id: new mongoose.Types.ObjectId(),
    kind: options.kind ?? 'peer-circle',
    groundRules: options.rules ?? 'Be kind.',
  } as unknown as OpenedCohort['cohort'];
  const membership = options.role
    ? ({
        role: options.role,
        active: true,
        ...(options.accepted ? { rulesAcceptedAt: new Date() } : {}),
      } as unknown as OpenedCohort['membership'])
    : undefined;
  return {
    cohort,
    ...(membership ? { membership } : {}),
    ...(options.role ? { role: options.role } : {}),
    manages: options.manages ?? false,
  };
}

describe('circle policy', () => {
  it('when a member or facilitator has not accepted written rules, then they must accept first; an instructor never', () => {
    expect(needsRulesAcceptance(opened({ role: 'member' }))).toBe(true);
    expect(needsRulesAcceptance(opened({ role: 'facilitator' }))).toBe(true);
    expect(needsRulesAcceptance(opened({ role: 'member', accepted: true }))).toBe(false);
    expect(needsRulesAcceptance(opened({ role: 'member', rules: '  ' }))).toBe(false);
    expect(needsRulesAcceptance(opened({ manages: true }))).toBe(false);
    expect(needsRulesAcceptance(opened({ kind: 'mentoring', role: 'mentor' }))).toBe(false);
  });

  it('when someone writes prompts, then it is a facilitator or an instructor, never a member', () => {
    expect(canWritePrompts(opened({ role: 'facilitator', accepted: true }))).toBe(true);
    expect(canWritePrompts(opened({ manages: true }))).toBe(true);
    expect(canWritePrompts(opened({ role: 'member', accepted: true }))).toBe(false);
    expect(canWritePrompts(opened({ kind: 'mentoring', manages: true }))).toBe(false);
  });

  it('when an answer is private, then only its author reads it; shared, the circle does, an instructor outside it never', () => {
    const author = new mongoose.Types.ObjectId().toString();
    const privateAnswer = { userId: author, shared: false };
    const sharedAnswer = { userId: author, shared: true };
    const member = opened({ role: 'member', accepted: true });
    const facilitator = opened({ role: 'facilitator', accepted: true });
    const instructor = opened({ manages: true });
    expect(canReadAnswer(author, member, privateAnswer)).toBe(true);
    expect(canReadAnswer('someone-else', member, privateAnswer)).toBe(false);
    expect(canReadAnswer('someone-else', facilitator, privateAnswer)).toBe(false);
    expect(canReadAnswer('someone-else', instructor, privateAnswer)).toBe(false);
    expect(canReadAnswer('someone-else', member, sharedAnswer)).toBe(true);
    expect(canReadAnswer('someone-else', facilitator, sharedAnswer)).toBe(true);
    expect(canReadAnswer('someone-else', instructor, sharedAnswer)).toBe(false);
    expect(canReadSharedAnswers(opened({ role: 'member' }))).toBe(false);
  });

  it('when someone answers, then it is a member who accepted the rules', () => {
    expect(canAnswer(opened({ role: 'member', accepted: true }))).toBe(true);
    expect(canAnswer(opened({ role: 'member' }))).toBe(false);
    expect(canAnswer(opened({ role: 'facilitator', accepted: true }))).toBe(false);
    expect(canAnswer(opened({ manages: true }))).toBe(false);
  });
});

describe('circle forms', () => {
  it('when an answer has Windows line breaks, then each counts as one character', () => {
    const text = `${'a'.repeat(3998)}\r\nb`;
    const parsed = answerFormSchema.safeParse({ text, visibility: 'private' });
    expect(parsed.success && parsed.data.text.length).toBe(4000);
  });

  it('when the opening date does not exist, then the date field is refused', () => {
    const parsed = promptFormSchema.safeParse({
      text: 'How are you?',
      opensDate: '2026-02-30',
      opensTime: '',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['opensDate']);
  });
});
