import { DateTime } from 'luxon';
import { CohortModel, addCohortMember, createCohort, type CohortViewer } from '../core';
import { acceptGroundRules, createPrompt } from '../circles';
import { pairPeople } from '../matching';
import { createAssignment, rubricMaximum, submitReflection, type Rubric } from '../reflections';
import { scheduleSession } from '../sessions';
import { recordDemoPeople, type DemoCourse } from './demo.people';

/** What the LMS side of the demo does: place an activity opening a Rounds target (the sandbox's deep linking). */
export interface DemoLms {
  placeTargetActivity(input: {
    target: string;
    title: string;
    text?: string;
    scoreMaximum?: number;
  }): Promise<string>;
}

const demoZone = 'America/Chicago';
export const demoMentoringName = 'Mentoring with Dr. García (demo)';
export const demoCircleName = 'Night-shift peer circle (demo)';

/** The demo assignment's rubric: three criteria, 10 points in all (what the LMS grade item is out of). */
const demoRubric: Rubric = {
  criteria: [
    {
      title: 'What happened',
      levels: [
        { label: 'Not yet', points: 0, description: 'The situation is not described.' },
        { label: 'Partly', points: 2, description: 'The situation is there, but not what made it hard.' },
        { label: 'Clearly', points: 3, description: 'What happened and what made it hard are both clear.' },
      ],
    },
    {
      title: 'What you noticed in yourself',
      levels: [
        { label: 'Not yet', points: 0, description: 'No thoughts, feelings or reactions are named.' },
        { label: 'Partly', points: 2, description: 'Reactions are named but not explored.' },
        {
          label: 'Clearly',
          points: 4,
          description: 'Thoughts, feelings and body reactions are explored honestly.',
        },
      ],
    },
    {
      title: 'What you will try next',
      levels: [
        { label: 'Not yet', points: 0, description: 'No next step.' },
        { label: 'Partly', points: 2, description: 'A general intention.' },
        { label: 'Clearly', points: 3, description: 'One concrete step, and who could help.' },
      ],
    },
  ],
};

const priyaReflection = [
  'Last Thursday a patient I had admitted two nights earlier died before morning rounds.',
  'I kept going over the overnight vitals, wondering whether I missed something.',
  '',
  'What I noticed: I did not eat for the rest of the shift, and I snapped at a student who asked a fair question.',
  '',
  'Next: I will ask my senior to walk through the case with me, and use the two-minute reset after hard calls.',
].join('\n');

const circleRules = [
  'What is said in the circle stays in the circle.',
  'Speak from your own experience; no advice unless someone asks for it.',
  'No names of patients or colleagues.',
  'Anyone may pass; nobody has to share.',
  'If someone is in danger, the facilitator will help them reach support (988, your EAP).',
].join('\n');

/**
 * Seeds the sandbox course for a newcomer (issue 12, item 9): a mentoring cohort where Dr. García mentors the
 * nurse, the physician and the pharmacist, with a weekly session and a monthly reflection assignment placed in the
 * course as a graded activity (the physician's reflection already waits in the queue), and a peer-support circle
 * she facilitates with a first check-in prompt. Everything goes through the same services an instructor's clicks use, as Dr. García.
 * Idempotent: a course that already has the demo cohort is left as it is (whatever was changed since).
 */
export async function seedDemoCohorts(demo: DemoCourse, lms: DemoLms, now = new Date()): Promise<boolean> {
  const people = await recordDemoPeople(demo);
  if (
    await CohortModel.exists({
      tenantId: people.tenantId,
      courseId: people.courseId,
      name: demoMentoringName,
    })
  ) {
    return false;
  }
  const garcia: CohortViewer = {
    tenantId: people.tenantId,
    userId: people.userId('mentor'),
    name: 'Dr. Elena García',
    courseRole: 'instructor',
    courseId: people.courseId,
  };
  const today = DateTime.fromJSDate(now).setZone(demoZone);
  const dates = {
    startDate: today.startOf('month').toISODate()!,
    endDate: today.plus({ months: 6 }).toISODate()!,
  };
  const learners = ['nurse', 'physician', 'pharmacist'];

  const mentoringId = await createCohort(garcia, {
    name: demoMentoringName,
    description:
      'Monthly themes, a weekly group call, and a reflection each month, graded with a short rubric.',
    kind: 'mentoring',
    timeZone: demoZone,
    ...dates,
    capacityPerMentor: 3,
    moduleSlugs: ['stress-first-aid', 'getting-the-most-from-a-mentor'],
    groundRules: '',
    rosterMode: 'manual',
  });
  await addCohortMember(garcia, mentoringId, { userId: garcia.userId, role: 'mentor' });
  const mentoring = (await CohortModel.findById(mentoringId).lean())!;
  for (const key of learners) {
    await addCohortMember(garcia, mentoringId, { userId: people.userId(key), role: 'mentee' });
    await pairPeople(mentoring, garcia.userId, people.userId(key), {
      field: 'mentor',
      confirmedBy: garcia.userId,
      now,
    });
  }
  const nextTuesday = today
    .plus({ days: (2 - today.weekday + 7) % 7 || 7 })
    .set({ hour: 18, minute: 0, second: 0, millisecond: 0 });
  await scheduleSession(garcia, mentoringId, {
    title: 'Weekly group call',
    audience: 'group',
    location: 'Video link on the course page',
    startsAt: nextTuesday.toJSDate(),
    durationMinutes: 60,
    recurrence: 'weekly',
    repeatUntil: dates.endDate,
  });

  const circleId = await createCohort(garcia, {
    name: demoCircleName,
    description: 'A facilitated space for night-shift staff to talk about what the work brings up.',
    kind: 'peer-circle',
    timeZone: demoZone,
    ...dates,
    capacityPerMentor: undefined,
    moduleSlugs: ['peer-support-conversations'],
    groundRules: circleRules,
    rosterMode: 'manual',
  });
  await addCohortMember(garcia, circleId, { userId: garcia.userId, role: 'facilitator' });
  await acceptGroundRules(garcia, circleId, now);
  for (const key of ['nurse', 'pharmacist']) {
    await addCohortMember(garcia, circleId, { userId: people.userId(key), role: 'member' });
  }
  await scheduleSession(garcia, circleId, {
    title: 'Circle meeting',
    audience: 'group',
    location: 'Staff lounge, 4th floor',
    startsAt: nextTuesday.plus({ days: 2, hours: 2 }).toJSDate(),
    durationMinutes: 45,
    recurrence: 'biweekly',
    repeatUntil: dates.endDate,
  });
  await createPrompt(garcia, circleId, {
    text: 'What helped you get through your last run of nights?',
    opensDate: '',
    opensTime: '',
  });
  // The monthly reflection, placed in the course as a graded activity, with one already waiting in the queue.
  const assignmentTitle = 'Reflection: a hard moment this month';
  const assignmentId = await createAssignment(garcia, mentoringId, {
    title: assignmentTitle,
    prompt:
      'Describe one moment this month that stayed with you. What happened, what did you notice in yourself, ' +
      'and what will you try next time? Plain words are best; 300–600 words is plenty.',
    rubric: demoRubric,
    dueAt: today.endOf('month').set({ hour: 17, minute: 0, second: 0, millisecond: 0 }).toJSDate(),
  });
  await lms.placeTargetActivity({
    target: `reflection:${assignmentId}`,
    title: assignmentTitle,
    scoreMaximum: rubricMaximum(demoRubric),
  });
  const priya: CohortViewer = {
    tenantId: people.tenantId,
    userId: people.userId('physician'),
    name: 'Dr. Priya Raman',
    courseRole: 'learner',
    courseId: people.courseId,
  };
  await submitReflection(priya, mentoringId, assignmentId, priyaReflection, now);
  return true;
}
