import { CohortMemberModel } from '../../../../src/cohorts';
import { CheckInPromptModel } from '../../../../src/cohorts/circles';
import {
  decodeHtml,
  postForm,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

const rounds = useTestRounds();
let course: SandboxCourse;
/** Learners of the sandbox course: two members and a facilitator of the circle. */
let nurse: Agent;
let physician: Agent;
let pharmacist: Agent;
/** Dr. García, an instructor of the course: manages the circle, is not in it. */
let instructor: Agent;
let ids: { nurse: string; physician: string; pharmacist: string };

const rules = 'What is said in the circle stays in the circle.\nSpeak from your own experience.';

beforeAll(async () => {
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  pharmacist = (await signedInAs(rounds, 'pharmacist')).agent;
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  course = await sandboxCourseIn(rounds);
  ids = {
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
    pharmacist: await course.userId('5'),
  };
});

/** A new circle: the nurse and the physician members, the pharmacist facilitating; all accepted unless asked. */
async function newCircle(options: { accepted?: boolean; groundRules?: string } = {}) {
  const cohortId = await seedCohort(course, {
    kind: 'peer-circle',
    name: `Second-victim circle ${Math.random()}`,
    members: [ids.nurse, ids.physician],
    facilitators: [ids.pharmacist],
    groundRules: options.groundRules ?? rules,
  });
  if (options.accepted !== false) {
    await CohortMemberModel.updateMany({ cohortId }, { $set: { rulesAcceptedAt: new Date() } });
  }
  return cohortId;
}

async function addPrompt(cohortId: string, text: string, fields: Record<string, string> = {}) {
  const path = `/cohorts/${cohortId}/check-ins`;
  const response = await postForm(pharmacist, path, path, { text, opensDate: '', opensTime: '', ...fields });
  expect(response.status).toBe(303);
  const prompt = await CheckInPromptModel.findOne({ cohortId, text }).lean();
  return String(prompt!._id);
}

function answer(agent: Agent, cohortId: string, promptId: string, text: string, visibility: string) {
  const path = `/cohorts/${cohortId}/check-ins/${promptId}`;
  return postForm(agent, path, path, { text, visibility });
}

describe('ground rules', () => {
  it('when a member has not accepted the rules, then every page of the circle sends them to the rules first', async () => {
    const cohortId = await newCircle({ accepted: false });
    for (const page of ['', '/check-ins', '/sessions']) {
      const response = await nurse.get(`/cohorts/${cohortId}${page}`).set('Accept', 'text/html');
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`/cohorts/${cohortId}/rules`);
    }
    const html = decodeHtml((await nurse.get(`/cohorts/${cohortId}/rules`).expect(200)).text);
    expect(html).toContain(
      'What is said in the circle stays in the circle.\nSpeak from your own experience.',
    );
    expect(html).toContain('Accept and join the circle');
    // Nothing else of the circle yet: not even the names of its other pages.
    expect(html).not.toContain(`href="/cohorts/${cohortId}/check-ins"`);
  });

  it('when the member posts without ticking the box, then 400 with the message at the box; ticked, they are in', async () => {
    const cohortId = await newCircle({ accepted: false });
    const path = `/cohorts/${cohortId}/rules`;
    const refused = await postForm(nurse, path, path, {});
    expect(refused.status).toBe(400);
    const html = decodeHtml(refused.text);
    expect(html).toContain('href="#accept-rules"');
    expect(html).toContain('id="accept-rules-error"');
    expect(html).toContain('Tick the box to say you accept the ground rules.');

    const accepted = await postForm(nurse, path, path, { accept: 'yes' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`/cohorts/${cohortId}?done=rules-accepted`);
    const membership = await CohortMemberModel.findOne({ cohortId, userId: ids.nurse }).lean();
    expect(membership!.rulesAcceptedAt).toBeInstanceOf(Date);
    expect((await nurse.get(`/cohorts/${cohortId}/check-ins`)).status).toBe(200);
    // The physician has not accepted: still sent to the rules.
    expect((await physician.get(`/cohorts/${cohortId}/check-ins`)).status).toBe(303);
  });

  it('when the instructor opens the circle, then nothing asks them to accept rules and the rules page links to the settings', async () => {
    const cohortId = await newCircle({ accepted: false });
    expect((await instructor.get(`/cohorts/${cohortId}/check-ins`)).status).toBe(200);
    const html = (await instructor.get(`/cohorts/${cohortId}/rules`).expect(200)).text;
    expect(html).not.toContain('Accept and join the circle');
    expect(html).toContain(`href="/cohorts/${cohortId}/settings"`);
  });

  it('when a circle has no written rules, then its members go straight in', async () => {
    const cohortId = await newCircle({ accepted: false, groundRules: '' });
    expect((await nurse.get(`/cohorts/${cohortId}/check-ins`)).status).toBe(200);
  });
});

describe('check-ins', () => {
  it('when the facilitator leaves the question blank or gives a time without a date, then 400 with messages at the fields and the input kept', async () => {
    const cohortId = await newCircle();
    const path = `/cohorts/${cohortId}/check-ins`;
    const blank = await postForm(pharmacist, path, path, { text: '  ', opensDate: '', opensTime: '' });
    expect(blank.status).toBe(400);
    expect(decodeHtml(blank.text)).toContain('Write the check-in question.');
    const timeOnly = await postForm(pharmacist, path, path, {
      text: 'What helped this week?',
      opensDate: '',
      opensTime: '09:30',
    });
    expect(timeOnly.status).toBe(400);
    const html = decodeHtml(timeOnly.text);
    expect(html).toContain('href="#opens-date"');
    expect(html).toContain('Enter the date the check-in opens.');
    expect(html).toContain('>What helped this week?</textarea>');
    expect(html).toContain('value="09:30"');
    expect(await CheckInPromptModel.countDocuments({ cohortId })).toBe(0);
  });

  it('when a member tries to add a check-in, then 403', async () => {
    const cohortId = await newCircle();
    const path = `/cohorts/${cohortId}/check-ins`;
    const response = await postForm(nurse, path, path, {
      text: 'A member’s question',
      opensDate: '',
      opensTime: '',
    });
    expect(response.status).toBe(403);
  });

  it('when a member answers privately, then only they read it; the instructor sees counts only, never the words', async () => {
    const cohortId = await newCircle();
    const promptId = await addPrompt(cohortId, 'What helped you most on a hard shift this week?');
    const saved = await answer(
      nurse,
      cohortId,
      promptId,
      'Talking to the charge nurse.\nA walk outside.',
      'private',
    );
    expect(saved.status).toBe(303);

    const own = decodeHtml(
      (await nurse.get(`/cohorts/${cohortId}/check-ins/${promptId}?done=private`).expect(200)).text,
    );
    expect(own).toContain('Talking to the charge nurse.\nA walk outside.</textarea>');
    expect(own).toContain('only you can read it');

    for (const other of [physician, pharmacist, instructor]) {
      const html = decodeHtml(
        (await other.get(`/cohorts/${cohortId}/check-ins/${promptId}`).expect(200)).text,
      );
      expect(html).not.toContain('charge nurse');
      expect(html).toContain('1 of 2 members answered');
    }
    const list = decodeHtml((await instructor.get(`/cohorts/${cohortId}/check-ins`).expect(200)).text);
    expect(list).toContain('1 of 2 members answered');
    expect(list).not.toContain('charge nurse');
  });

  it('when a member shares an answer, then the circle reads it with their name, the instructor still does not, and stopping sharing takes it back', async () => {
    const cohortId = await newCircle();
    const promptId = await addPrompt(cohortId, 'One thing you are proud of?');
    expect((await answer(nurse, cohortId, promptId, 'I stayed calm during a code.', 'shared')).status).toBe(
      303,
    );

    for (const reader of [physician, pharmacist]) {
      const html = decodeHtml(
        (await reader.get(`/cohorts/${cohortId}/check-ins/${promptId}`).expect(200)).text,
      );
      expect(html).toContain('I stayed calm during a code.');
      expect(html).toContain('<strong>Nora Okafor, RN</strong>');
    }
    const managed = decodeHtml(
      (await instructor.get(`/cohorts/${cohortId}/check-ins/${promptId}`).expect(200)).text,
    );
    expect(managed).not.toContain('I stayed calm');
    expect(managed).toContain('1 shared with the circle');

    const path = `/cohorts/${cohortId}/check-ins/${promptId}`;
    const unshared = await postForm(nurse, path, `${path}/unshare`, {});
    expect(unshared.status).toBe(303);
    const after = decodeHtml((await physician.get(path).expect(200)).text);
    expect(after).not.toContain('I stayed calm');
    expect(after).toContain('Nobody has shared an answer yet.');
    // Still the nurse's own.
    expect(decodeHtml((await nurse.get(path).expect(200)).text)).toContain(
      'I stayed calm during a code.</textarea>',
    );
  });

  it('when an answer is 4,001 characters, then 400 with the message at the field and every character kept', async () => {
    const cohortId = await newCircle();
    const promptId = await addPrompt(cohortId, 'Anything on your mind?');
    const long = 'a'.repeat(4000) + 'Z';
    const refused = await answer(nurse, cohortId, promptId, long, 'private');
    expect(refused.status).toBe(400);
    const html = decodeHtml(refused.text);
    expect(html).toContain('href="#answer-text"');
    expect(html).toContain('Your answer has 4,001 characters; the limit is 4,000.');
    expect(html).toContain(`${long}</textarea>`);
  });

  it('when a check-in opens later, then members neither see nor open it until then; the facilitator sees it scheduled', async () => {
    const cohortId = await newCircle();
    const promptId = await addPrompt(cohortId, 'Next month’s question', {
      opensDate: '2098-01-05',
      opensTime: '09:00',
    });
    const prompt = await CheckInPromptModel.findById(promptId).lean();
    // 09:00 in America/Chicago (the seeded cohort's zone), in winter: 15:00 UTC.
    expect(prompt!.opensAt.toISOString()).toBe('2098-01-05T15:00:00.000Z');
    expect(decodeHtml((await nurse.get(`/cohorts/${cohortId}/check-ins`).expect(200)).text)).not.toContain(
      'Next month’s question',
    );
    expect((await nurse.get(`/cohorts/${cohortId}/check-ins/${promptId}`)).status).toBe(404);
    const facilitator = decodeHtml((await pharmacist.get(`/cohorts/${cohortId}/check-ins`).expect(200)).text);
    expect(facilitator).toContain('Next month’s question');
    expect(facilitator).toContain('Opens Sunday 5 January 2098, 09:00 America/Chicago');
  });

  it('when a check-in id is malformed or belongs to another circle, or the cohort is a mentoring one, then 404', async () => {
    const cohortId = await newCircle();
    const other = await newCircle();
    const promptId = await addPrompt(other, 'The other circle’s question');
    expect((await nurse.get(`/cohorts/${cohortId}/check-ins/not-an-id`)).status).toBe(404);
    expect((await nurse.get(`/cohorts/${cohortId}/check-ins/${promptId}`)).status).toBe(404);
    const mentoring = await seedCohort(course, { mentors: [ids.pharmacist], mentees: [ids.nurse] });
    expect((await nurse.get(`/cohorts/${mentoring}/check-ins`)).status).toBe(404);
    expect((await nurse.get(`/cohorts/${mentoring}/rules`)).status).toBe(404);
  });

  it('when a learner of the course is not in the circle, then 403', async () => {
    const cohortId = await seedCohort(course, {
      kind: 'peer-circle',
      members: [ids.physician],
      facilitators: [ids.pharmacist],
      groundRules: rules,
    });
    expect((await nurse.get(`/cohorts/${cohortId}/check-ins`)).status).toBe(403);
    expect((await nurse.get(`/cohorts/${cohortId}/rules`)).status).toBe(403);
  });
});
