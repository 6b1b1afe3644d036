import request from 'supertest';
import { CohortSessionModel } from '../../../../src/cohorts/sessions';
import { CohortMemberModel } from '../../../../src/cohorts';
import {
  decodeHtml,
  openForm,
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
let nurse: Agent;
let physician: Agent;
let ids: { instructor: string; nurse: string; physician: string };
let cohortId: string;
let otherCohortId: string;

beforeAll(async () => {
  await signedInAs(rounds, 'mentor');
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  course = await sandboxCourseIn(rounds);
  ids = {
    instructor: await course.userId('6'),
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
  };
  cohortId = await seedCohort(course, {
    mentors: [ids.instructor],
    mentees: [ids.nurse, ids.physician],
    pairs: [[ids.instructor, ids.physician]],
  });
  otherCohortId = await seedCohort(course, { mentees: [ids.physician] });
  const base = { tenantId: course.tenantId, durationMinutes: 60, createdBy: ids.instructor };
  await CohortSessionModel.create([
    {
      ...base,
      cohortId,
      title: 'Group mentoring',
      kind: 'group',
      startsAt: new Date('2026-10-22T23:00:00Z'),
      recurrence: 'weekly',
      repeatUntil: '2026-11-12',
    },
    {
      ...base,
      cohortId,
      title: 'Physician one-to-one',
      kind: 'one-to-one',
      mentorId: ids.instructor,
      menteeId: ids.physician,
      startsAt: new Date('2026-12-01T15:00:00Z'),
    },
    {
      ...base,
      cohortId: otherCohortId,
      title: 'Another cohort’s session',
      kind: 'group',
      startsAt: new Date('2026-12-02T15:00:00Z'),
    },
  ]);
});

/** Makes (or replaces) the agent's feed address and returns it as the page shows it once. */
async function newFeedAddress(agent: Agent): Promise<string> {
  const made = await postForm(agent, '/calendar', '/calendar', { action: 'create' });
  expect(made.status).toBe(303);
  const page = decodeHtml((await agent.get('/calendar').expect(200)).text);
  const address = /id="feed-address" type="text" value="([^"]+)"/.exec(page)?.[1];
  expect(address).toMatch(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  return address!;
}

const feedPath = (address: string) => new URL(address).pathname;
const summaries = (ics: string) => [...ics.matchAll(/^SUMMARY:(.+)$/gm)].map((match) => match[1]!.trim());

describe('a personal calendar feed', () => {
  it('when a mentee makes an address, then it is shown once, and the feed works without a session', async () => {
    const address = await newFeedAddress(nurse);
    const again = decodeHtml((await nurse.get('/calendar').expect(200)).text);
    expect(again).not.toContain(address);
    expect(again).toContain('You have a feed address, made on');

    const feed = await request(rounds.url).get(feedPath(address)).expect(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.headers['set-cookie']).toBeUndefined();
    expect(summaries(feed.text)).toEqual(Array(4).fill('Group mentoring'));
    expect(feed.text).toContain('DTSTART:20261029T230000Z');
    expect(feed.text).toContain('DTSTART:20261106T000000Z');
  });

  it('when a mentee’s feed is read, then it holds their one-to-one and their other cohort, never other people’s one-to-ones', async () => {
    const physicianFeed = await request(rounds.url)
      .get(feedPath(await newFeedAddress(physician)))
      .expect(200);
    expect(new Set(summaries(physicianFeed.text))).toEqual(
      new Set(['Group mentoring', 'Physician one-to-one', 'Another cohort’s session']),
    );
    const nurseFeed = await request(rounds.url)
      .get(feedPath(await newFeedAddress(nurse)))
      .expect(200);
    expect(nurseFeed.text).not.toContain('Physician one-to-one');
    expect(nurseFeed.text).not.toContain('Another cohort');
  });

  it('when a member leaves a cohort, then its sessions leave their feed', async () => {
    const address = await newFeedAddress(physician);
    await CohortMemberModel.updateOne(
      { cohortId: otherCohortId, userId: ids.physician },
      { $set: { active: false } },
    );
    const feed = await request(rounds.url).get(feedPath(address)).expect(200);
    expect(feed.text).not.toContain('Another cohort');
  });

  it('when a member has not yet accepted a peer circle’s ground rules, then its sessions stay out of their feed until they do', async () => {
    const circleId = await seedCohort(course, {
      kind: 'peer-circle',
      groundRules: 'What is said in the circle stays in the circle.',
      facilitators: [ids.instructor],
      members: [ids.nurse],
    });
    const openCircleId = await seedCohort(course, {
      kind: 'peer-circle',
      groundRules: '  ',
      facilitators: [ids.instructor],
      members: [ids.nurse],
    });
    const base = { tenantId: course.tenantId, durationMinutes: 60, createdBy: ids.instructor, kind: 'group' };
    await CohortSessionModel.create([
      { ...base, cohortId: circleId, title: 'Circle with rules', startsAt: new Date('2026-12-03T15:00:00Z') },
      {
        ...base,
        cohortId: openCircleId,
        title: 'Circle without rules',
        startsAt: new Date('2026-12-04T15:00:00Z'),
      },
    ]);
    const address = await newFeedAddress(nurse);

    const before = await request(rounds.url).get(feedPath(address)).expect(200);
    expect(summaries(before.text)).not.toContain('Circle with rules');
    expect(summaries(before.text)).toContain('Circle without rules');

    await CohortMemberModel.updateOne(
      { cohortId: circleId, userId: ids.nurse },
      { $set: { rulesAcceptedAt: new Date() } },
    );
    const after = await request(rounds.url).get(feedPath(address)).expect(200);
    expect(summaries(after.text)).toContain('Circle with rules');
  });

  it('when an address is replaced, then the old one answers 404; when the feed is turned off, the new one does too', async () => {
    const first = await newFeedAddress(nurse);
    const second = await newFeedAddress(nurse);
    expect(second).not.toBe(first);
    const old = await request(rounds.url).get(feedPath(first));
    expect(old.status).toBe(404);
    expect(old.text).not.toContain('Group mentoring');
    await request(rounds.url).get(feedPath(second)).expect(200);

    const revoked = await postForm(nurse, '/calendar', '/calendar', { action: 'revoke' });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe('/calendar?done=revoked');
    expect((await request(rounds.url).get(feedPath(second))).status).toBe(404);
    const page = decodeHtml((await nurse.get('/calendar?done=revoked').expect(200)).text);
    expect(page).toContain('Your feed address no longer works.');
    expect(page).toContain('You have no feed address.');
  });

  it('when a made-up or malformed token is asked for, then 404 and nothing else', async () => {
    for (const token of ['A'.repeat(43), 'short', '..%2F..%2Fetc']) {
      const response = await request(rounds.url).get(`/calendar/${token}.ics`);
      expect(response.status).toBe(404);
      expect(response.text).not.toContain('BEGIN:VCALENDAR');
    }
  });

  it('when someone without a session opens the page or posts to it, then 401/403 and no address is made', async () => {
    expect((await request(rounds.url).get('/calendar').set('Accept', 'text/html')).status).toBe(401);
    const { csrf } = await openForm(nurse, '/calendar');
    expect(
      (await request(rounds.url).post('/calendar').type('form').send({ _csrf: csrf, action: 'create' }))
        .status,
    ).toBe(401);
  });
});
