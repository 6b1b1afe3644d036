import { gradeCheck, readCheckAnswers, type CheckStep } from '../../../../src/wellbeing/player/check.grading';

const step: CheckStep = {
  id: 'check',
  kind: 'check',
  title: 'Check',
  passMark: 1,
  questions: [
    {
      id: 'q1',
      type: 'single',
      prompt: 'One?',
      options: [
        { id: 'a', text: 'A', correct: true, feedback: 'Yes' },
        { id: 'b', text: 'B', feedback: 'No' },
      ],
    },
    {
      id: 'q2',
      type: 'multiple',
      prompt: 'Several?',
      options: [
        { id: 'a', text: 'A', correct: true, feedback: 'Yes' },
        { id: 'b', text: 'B', correct: true, feedback: 'Yes' },
        { id: 'c', text: 'C', feedback: 'No' },
      ],
    },
  ],
};

describe('knowledge check answers', () => {
  it('when a question is left unanswered, then it alone has an error and the other answers are kept', () => {
    const { answers, errors } = readCheckAnswers(step, { q_q2: ['a', 'b'] });
    expect(errors).toEqual({ q1: 'Choose an answer to this question.' });
    expect(answers.q2).toEqual(['a', 'b']);
  });

  it('when an option id is forged, then it is ignored (and counts as no answer)', () => {
    const { errors } = readCheckAnswers(step, { q_q1: 'z', q_q2: ['<x>'] });
    expect(errors).toEqual({
      q1: 'Choose an answer to this question.',
      q2: 'Choose at least one answer to this question.',
    });
  });

  it('when a single-choice question gets two answers, then it is refused', () => {
    expect(readCheckAnswers(step, { q_q1: ['a', 'b'], q_q2: 'a' }).errors).toEqual({
      q1: 'Choose only one answer to this question.',
    });
  });

  it('when a multiple-choice answer misses one correct option, then that question is wrong', () => {
    expect(gradeCheck(step, { q1: ['b'], q2: ['a'] })).toMatchObject({ correctCount: 0, passed: false });
    expect(gradeCheck(step, { q1: ['b'], q2: ['b', 'a'] })).toMatchObject({ correctCount: 1, passed: true });
    expect(gradeCheck(step, { q1: ['a'], q2: ['a', 'b', 'c'] })).toMatchObject({
      correctCount: 1,
      passed: true,
    });
  });
});
