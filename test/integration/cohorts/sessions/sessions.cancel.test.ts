import { DateTime } from 'luxon';
import request from 'supertest';
import { CohortModel } from '../../../../src/cohorts';
import {
  CohortSessionModel,
  attendanceRates,
  listAttendance,
  upcomingOccurrences,
} from '../../../../src/cohorts/sessions';
import {
  decodeHtml,
  postForm,
  sandboxCourseIn,
  seedCohort,
  signedInAs,
  signedInAsMember,
  useTestRounds,
  type Agent,
  type SandboxCourse,
} from '../../../support';

const rounds = useTestRounds();
const zone = 'America/Chicago';
let course: SandboxCourse;
/** Dr. García: an instructor of the course, so she manages the cohort. */
let instructor: Agent;
/** Jordan Ellis and Sam Okafor: learners of the course made the cohort's mentors. */
let mentor: Agent;
let otherMentor: Agent;
let nurse: Agent;
let ids: { mentor: string; otherMentor: string; nurse: string };
let cohortId: string;
/** The cohort's last day, three weeks from today in its zone. */
let endDate: string;

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  mentor = (await signedInAsMember(rounds, { sub: '8', name: 'Jordan Ellis' })).agent;
  otherMentor = (await signedInAsMember(rounds, { sub: '9', name: 'Sam Okafor' })).agent;
  course = await sandboxCourseIn(rounds);
  ids = {
    mentor: await course.userId('8'),
    otherMentor: await course.userId('9'),
    nurse: await course.userId('3'),
  };
  endDate = DateTime.now().setZone(zone).plus({ weeks: 3 }).toISODate()!;
  cohortId = await seedCohort(course, {
    name: 'Residents’ mentoring',
    timeZone: zone,
    endDate,
    mentors: [ids.mentor, ids.otherMentor],
    mentees: [ids.nurse],
    pairs: [[ids.mentor, ids.nurse]],
  });
});

const sessionsPath = () => `/cohorts/${cohortId}/sessions`;
const newPath = () => `${sessionsPath()}/new`;
const occurrencesIn = (html: string) => [...html.matchAll(/<time datetime="([^"]+)">/g)].map((m) => m[1]!);

/** A weekly series that began `hoursAgo` hours ago (an hour long) and repeats until the cohort's last day. */
function weeklyFromHoursAgo(hoursAgo: number) {
  const start = DateTime.now().setZone(zone).minus({ hours: hoursAgo }).startOf('minute');
  return {
    title: 'Wednesday case review',
    audience: 'group',
    location: 'Room 2',
    date: start.toISODate()!,
    startTime: start.toFormat('HH:mm'),
    endTime:
      start.toISODate() === start.plus({ hours: 1 }).toISODate()
        ? start.plus({ hours: 1 }).toFormat('HH:mm')
        : '23:59',
    recurrence: 'weekly',
    repeatUntil: endDate,
  };
}

async function schedule(agent: Agent, fields: Record<string, string>): Promise<string> {
  const response = await postForm(agent, newPath(), newPath(), fields);
  expect(response.status).toBe(303);
  return /\/sessions\/([0-9a-f]{24})\?done=scheduled$/.exec(response.headers.location!)![1]!;
}

describe('a weekly series near the cohort’s end date', () => {
  it('when its last date is after the cohort ends, then the last date says so and everything typed is kept', async () => {
    const late = DateTime.fromISO(endDate).plus({ days: 7 }).toISODate()!;
    const refused = await postForm(mentor, newPath(), newPath(), {
      ...weeklyFromHoursAgo(-24),
      repeatUntil: late,
    });
    expect(refused.status).toBe(400);
    const page = decodeHtml(refused.text);
    expect(page).toContain(`The cohort ends on ${endDate}: choose a last date on or before ${endDate}.`);
    expect(page).toContain(`id="session-repeat-until" name="repeatUntil" type="date" value="${late}"`);
    expect(page).toContain('value="Wednesday case review"');

    const oneOffAfter = await postForm(mentor, newPath(), newPath(), {
      ...weeklyFromHoursAgo(-24),
      date: late,
      recurrence: 'none',
      repeatUntil: '',
    });
    expect(oneOffAfter.status).toBe(400);
    expect(decodeHtml(oneOffAfter.text)).toContain(
      `The cohort ends on ${endDate}: choose a date on or before it.`,
    );
    expect(await CohortSessionModel.countDocuments({ cohortId })).toBe(0);
  });

  it('when it ends on the cohort’s last day, then its dates run up to that day; if the cohort is shortened, they stop with it', async () => {
    const sessionId = await schedule(mentor, weeklyFromHoursAgo(-1));
    const dates = () =>
      mentor
        .get(`${sessionsPath()}/${sessionId}`)
        .expect(200)
        .then((page) => occurrencesIn(page.text).map((iso) => DateTime.fromISO(iso, { zone }).toISODate()!));
    const all = await dates();
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all.every((date) => date <= endDate)).toBe(true);
    expect(DateTime.fromISO(endDate).diff(DateTime.fromISO(all.at(-1)!), 'days').days).toBeLessThan(7);

    const shorter = DateTime.fromISO(endDate).minus({ days: 8 }).toISODate()!;
    await CohortModel.updateOne({ _id: cohortId }, { $set: { endDate: shorter } });
    try {
      const clipped = await dates();
      expect(clipped).toEqual(all.filter((date) => date <= shorter));
    } finally {
      await CohortModel.updateOne({ _id: cohortId }, { $set: { endDate } });
    }
    await CohortSessionModel.deleteOne({ _id: sessionId });
  });
});

describe('cancelling a session', () => {
  let sessionId: string;
  let key: string;
  let feedPath: string;

  beforeAll(async () => {
    sessionId = await schedule(mentor, weeklyFromHoursAgo(3));
    const session = await CohortSessionModel.findById(sessionId).lean();
    key = DateTime.fromJSDate(session!.startsAt, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!;
    const attendance = `${sessionsPath()}/${sessionId}/occurrences/${key}/attendance`;
    expect((await postForm(mentor, attendance, attendance, { present: [ids.nurse] })).status).toBe(303);
    expect((await postForm(nurse, '/calendar', '/calendar', { action: 'create' })).status).toBe(303);
    const calendarPage = decodeHtml((await nurse.get('/calendar').expect(200)).text);
    feedPath = new URL(/id="feed-address" type="text" value="([^"]+)"/.exec(calendarPage)![1]!).pathname;
    expect((await request(rounds.url).get(feedPath).expect(200)).text).toContain(
      'SUMMARY:Wednesday case review',
    );
  });

  const cancelPath = () => `${sessionsPath()}/${sessionId}/cancel`;
  const detailPath = () => `${sessionsPath()}/${sessionId}`;

  it('when a mentee or a mentor who did not schedule it tries, then 403, no cancel button, and it stays', async () => {
    expect((await postForm(nurse, detailPath(), cancelPath())).status).toBe(403);
    expect((await postForm(otherMentor, detailPath(), cancelPath())).status).toBe(403);
    expect(decodeHtml((await otherMentor.get(detailPath()).expect(200)).text)).not.toContain(
      'Cancel this session',
    );
    expect(decodeHtml((await mentor.get(detailPath()).expect(200)).text)).toContain('Cancel this session');
    expect((await CohortSessionModel.findById(sessionId).lean())!.cancelledAt).toBeUndefined();
  });

  it('when the mentor who scheduled it cancels, then it leaves lists, dashboards, the .ics and the feed; attendance stays', async () => {
    const cancelled = await postForm(mentor, detailPath(), cancelPath());
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe(`${sessionsPath()}?done=cancelled`);
    const list = decodeHtml((await mentor.get(cancelled.headers.location!).expect(200)).text);
    expect(list).toContain('The session is cancelled');
    expect(list).not.toContain('Wednesday case review');
    expect(decodeHtml((await nurse.get(sessionsPath()).expect(200)).text)).not.toContain(
      'Wednesday case review',
    );

    expect((await nurse.get(detailPath()).set('Accept', 'text/html')).status).toBe(404);
    expect((await nurse.get(`${detailPath()}.ics`).set('Accept', 'text/html')).status).toBe(404);
    expect((await request(rounds.url).get(feedPath).expect(200)).text).not.toContain('Wednesday case review');
    const viewer = { tenantId: course.tenantId, userId: ids.nurse, name: 'Nurse' };
    expect(await upcomingOccurrences(viewer, { cohortIds: [cohortId] })).toEqual([]);

    expect(await listAttendance(course.tenantId, ids.nurse)).toEqual([
      expect.objectContaining({ sessionId, title: 'Wednesday case review', present: true }),
    ]);
    expect((await attendanceRates(course.tenantId, cohortId)).perMember).toContainEqual(
      expect.objectContaining({ userId: ids.nurse, attended: 1, held: 1 }),
    );
    // Cancelling again finds nothing to cancel.
    expect((await postForm(mentor, sessionsPath(), cancelPath())).status).toBe(404);
  });

  it('when the instructor cancels a session a mentor scheduled, then it is cancelled too', async () => {
    const another = await schedule(otherMentor, { ...weeklyFromHoursAgo(-48), title: 'Journal club' });
    const detail = `${sessionsPath()}/${another}`;
    expect((await postForm(instructor, detail, `${detail}/cancel`)).status).toBe(303);
    expect((await CohortSessionModel.findById(another).lean())!.cancelledAt).toBeInstanceOf(Date);
    expect((await otherMentor.get(detail).set('Accept', 'text/html')).status).toBe(404);
  });
});
