import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import request from 'supertest';
import { CohortModel } from '../../../../src/cohorts';
import {
  AttendanceModel,
  CohortSessionModel,
  listAttendance,
  attendanceRates,
  ratingSummary,
  upcomingOccurrences,
} from '../../../../src/cohorts/sessions';
import { SessionRatingModel } from '../../../../src/cohorts/sessions/rating.model';
import {
  decodeHtml,
  openForm,
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
let course: SandboxCourse;
/** Dr. García: an instructor of the course, so she manages every cohort of it (not a member of this one). */
let instructor: Agent;
/** Jordan Ellis, a learner of the course made the cohort's mentor: leads, does not manage. */
let mentor: Agent;
let nurse: Agent;
let physician: Agent;
/** A learner of the course who is not in the cohort. */
let pharmacist: Agent;
let ids: { mentor: string; nurse: string; physician: string; pharmacist: string };
let cohortId: string;

beforeAll(async () => {
  instructor = (await signedInAs(rounds, 'mentor')).agent;
  nurse = (await signedInAs(rounds, 'nurse')).agent;
  physician = (await signedInAs(rounds, 'physician')).agent;
  pharmacist = (await signedInAs(rounds, 'pharmacist')).agent;
  mentor = (await signedInAsMember(rounds, { sub: '8', name: 'Jordan Ellis' })).agent;
  course = await sandboxCourseIn(rounds);
  ids = {
    mentor: await course.userId('8'),
    nurse: await course.userId('3'),
    physician: await course.userId('4'),
    pharmacist: await course.userId('5'),
  };
  cohortId = await seedCohort(course, {
    name: 'Night-shift mentoring',
    timeZone: 'America/Chicago',
    mentors: [ids.mentor],
    mentees: [ids.nurse, ids.physician],
    pairs: [[ids.mentor, ids.nurse]],
  });
});

const sessionsPath = () => `/cohorts/${cohortId}/sessions`;
const newPath = () => `${sessionsPath()}/new`;

const weekly = {
  title: 'Thursday group mentoring',
  audience: 'group',
  location: 'Room 4B, Education Centre',
  date: '2026-10-22',
  startTime: '18:00',
  endTime: '19:00',
  recurrence: 'weekly',
  repeatUntil: '2026-11-12',
};

/** Schedules a session through the form as `agent` and returns its id. */
async function schedule(agent: Agent, fields: Record<string, string>): Promise<string> {
  const response = await postForm(agent, newPath(), newPath(), fields);
  expect(response.status).toBe(303);
  const match = /\/sessions\/([0-9a-f]{24})\?done=scheduled$/.exec(response.headers.location!);
  return match![1]!;
}

/** A one-off session that started `hoursAgo` hours ago (and lasted an hour), in the cohort's zone. */
function oneOffHoursAgo(hoursAgo: number, title: string) {
  const start = DateTime.now().setZone('America/Chicago').minus({ hours: hoursAgo }).startOf('minute');
  const end = start.plus({ hours: 1 });
  return {
    ...weekly,
    title,
    date: start.toISODate()!,
    startTime: start.toFormat('HH:mm'),
    endTime: end.toISODate() === start.toISODate() ? end.toFormat('HH:mm') : '23:59',
    recurrence: 'none',
    repeatUntil: '',
  };
}

const occurrencesIn = (html: string) =>
  [
    ...decodeHtml(html).matchAll(
      /<time datetime="[^"]+">([^<]+)<\/time> <span class="occurrence__zone">([^<]+)<\/span>/g,
    ),
  ].map((match) => `${match[1]} ${match[2]}`);

describe('a weekly 18:00 America/Chicago session across the 2026-11-01 daylight-saving change', () => {
  let sessionId: string;

  beforeAll(async () => {
    sessionId = await schedule(mentor, weekly);
  });

  it('when the mentor schedules it, then it is stored once, in UTC, with its series', async () => {
    const session = await CohortSessionModel.findById(sessionId).lean();
    expect(session!.startsAt.toISOString()).toBe('2026-10-22T23:00:00.000Z');
    expect(session).toMatchObject({
      recurrence: 'weekly',
      repeatUntil: '2026-11-12',
      durationMinutes: 60,
      kind: 'group',
    });
  });

  it('when a mentee reads it in the cohort’s zone, then every date is 18:00 Chicago time, CDT then CST', async () => {
    const page = await nurse.get(`${sessionsPath()}/${sessionId}`).expect(200);
    expect(decodeHtml(page.text)).toContain('Times in <strong>America/Chicago</strong>');
    expect(occurrencesIn(page.text)).toEqual([
      'Thursday 22 October 2026, 18:00–19:00 CDT',
      'Thursday 29 October 2026, 18:00–19:00 CDT',
      'Thursday 5 November 2026, 18:00–19:00 CST',
      'Thursday 12 November 2026, 18:00–19:00 CST',
    ]);
  });

  it('when a mentee chooses Europe/London, then each date shows London’s own time, and the choice is remembered', async () => {
    const london = await physician.get(`${sessionsPath()}/${sessionId}?zone=Europe/London`).expect(200);
    const expected = [
      'Friday 23 October 2026, 00:00–01:00 GMT+1',
      'Thursday 29 October 2026, 23:00–00:00 (next day) GMT',
      'Friday 6 November 2026, 00:00–01:00 GMT',
      'Friday 13 November 2026, 00:00–01:00 GMT',
    ];
    expect(occurrencesIn(london.text)).toEqual(expected);
    expect(decodeHtml(london.text)).toContain('Times in <strong>Europe/London</strong>');
    expect(decodeHtml(london.text)).toContain(
      'In America/Chicago: Thursday 5 November 2026, 18:00–19:00 CST',
    );
    expect(london.text).toContain('<option value="Europe/London" selected>');

    const remembered = await physician.get(`${sessionsPath()}/${sessionId}`).expect(200);
    expect(occurrencesIn(remembered.text)).toEqual(expected);
    const back = await physician.get(`${sessionsPath()}/${sessionId}?zone=`).expect(200);
    expect(occurrencesIn(back.text)[2]).toBe('Thursday 5 November 2026, 18:00–19:00 CST');
  });

  it('when the .ics is downloaded, then each date is its own event at the right UTC instant', async () => {
    const ics = await nurse.get(`${sessionsPath()}/${sessionId}.ics`).expect(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.headers['content-disposition']).toContain('thursday-group-mentoring.ics');
    const starts = [...ics.text.matchAll(/^DTSTART:(\S+)$/gm)].map((match) => match[1]);
    const ends = [...ics.text.matchAll(/^DTEND:(\S+)$/gm)].map((match) => match[1]);
    expect(starts).toEqual(['20261022T230000Z', '20261029T230000Z', '20261106T000000Z', '20261113T000000Z']);
    expect(ends).toEqual(['20261023T000000Z', '20261030T000000Z', '20261106T010000Z', '20261113T010000Z']);
    expect(ics.text).toContain('SUMMARY:Thursday group mentoring');
    expect(ics.text).toContain('LOCATION:Room 4B\\, Education Centre');
  });

  it('when someone outside the cohort asks for it, then 403; a made-up or malformed session id is 404', async () => {
    expect((await pharmacist.get(`${sessionsPath()}/${sessionId}`).set('Accept', 'text/html')).status).toBe(
      403,
    );
    expect((await pharmacist.get(`${sessionsPath()}/${sessionId}.ics`)).status).toBe(403);
    expect(
      (await nurse.get(`${sessionsPath()}/64b7f0c2a1b2c3d4e5f60718`).set('Accept', 'text/html')).status,
    ).toBe(404);
    expect((await nurse.get(`${sessionsPath()}/nonsense.ics`)).status).toBe(404);
    expect(
      (await request(rounds.url).get(`${sessionsPath()}/${sessionId}`).set('Accept', 'text/html')).status,
    ).toBe(401);
  });

  it('when the session is asked for under another tenant’s cohort, then 404, never its times', async () => {
    const foreign = await CohortModel.create({
      tenantId: new mongoose.Types.ObjectId(),
      courseId: new mongoose.Types.ObjectId(),
      name: 'Elsewhere',
      kind: 'mentoring',
      timeZone: 'UTC',
      startDate: '2026-01-01',
      endDate: '2099-12-31',
    });
    const response = await nurse
      .get(`/cohorts/${String(foreign._id)}/sessions/${sessionId}`)
      .set('Accept', 'text/html');
    expect(response.status).toBe(404);
    expect(response.text).not.toContain('Thursday group mentoring');
  });
});

describe('scheduling: who may, and bad input', () => {
  it('when a mentee opens or posts the form, then 403 and nothing is stored', async () => {
    expect((await nurse.get(newPath()).set('Accept', 'text/html')).status).toBe(403);
    const { csrf } = await openForm(nurse, sessionsPath());
    const response = await nurse
      .post(newPath())
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, ...weekly, title: 'Mentee’s own' });
    expect(response.status).toBe(403);
    expect(await CohortSessionModel.exists({ title: 'Mentee’s own' })).toBeNull();
  });

  it('when a session ends before it starts, then the end time says so and everything typed is kept', async () => {
    const refused = await postForm(mentor, newPath(), newPath(), {
      ...weekly,
      title: 'Typed <title>',
      endTime: '17:30',
    });
    expect(refused.status).toBe(400);
    const page = decodeHtml(refused.text);
    expect(page).toContain('<a href="#session-end-time">The session must end after it starts');
    expect(page).toContain('id="session-end-time-error"');
    expect(refused.text).toContain('value="Typed &lt;title&gt;"');
    expect(page).toContain('value="17:30"');
    expect(page).toContain('value="2026-11-12"');
    expect(page).toContain('<option value="weekly" selected>');
    expect(await CohortSessionModel.exists({ title: 'Typed <title>' })).toBeNull();
  });

  it('when a repeating session has no end, or more than 52 dates, then the last date says so', async () => {
    const noEnd = await postForm(mentor, newPath(), newPath(), { ...weekly, repeatUntil: '' });
    expect(noEnd.status).toBe(400);
    expect(decodeHtml(noEnd.text)).toContain(
      '<a href="#session-repeat-until">A repeating session needs an end',
    );
    const tooMany = await postForm(mentor, newPath(), newPath(), { ...weekly, repeatUntil: '2027-12-31' });
    expect(tooMany.status).toBe(400);
    expect(decodeHtml(tooMany.text)).toContain('A series has at most 52 sessions');
    expect(decodeHtml(tooMany.text)).toContain('value="2027-12-31"');
  });

  it('when a mentor names a pair that is not theirs, then the field refuses it', async () => {
    const refused = await postForm(mentor, newPath(), newPath(), {
      ...weekly,
      audience: '64b7f0c2a1b2c3d4e5f60718',
    });
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain(
      '<a href="#session-audience">Choose the whole cohort or one of the pairs listed.',
    );
  });
});

describe('one-to-one sessions', () => {
  it('when the mentor schedules one with their mentee, then only the two of them and managers see it', async () => {
    const form = await openForm(mentor, newPath());
    expect(decodeHtml(form.html)).toContain('One-to-one with ');
    const pairValue = /<option value="([0-9a-f]{24})">One-to-one with/.exec(form.html)![1]!;
    const sessionId = await schedule(mentor, {
      ...weekly,
      title: 'Check-in with the nurse',
      audience: pairValue,
      recurrence: 'none',
      repeatUntil: '',
    });
    const path = `${sessionsPath()}/${sessionId}`;
    expect(decodeHtml((await nurse.get(path).expect(200)).text)).toContain('(one-to-one)');
    await instructor.get(path).expect(200);
    expect((await physician.get(path).set('Accept', 'text/html')).status).toBe(403);
    expect(decodeHtml((await physician.get(sessionsPath()).expect(200)).text)).not.toContain(
      'Check-in with the nurse',
    );
  });
});

describe('attendance and ratings', () => {
  let sessionId: string;
  let key: string;

  beforeAll(async () => {
    sessionId = await schedule(mentor, oneOffHoursAgo(3, 'Debrief after a hard week'));
    const session = await CohortSessionModel.findById(sessionId).lean();
    key = DateTime.fromJSDate(session!.startsAt, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!;
  });

  const attendancePath = () => `${sessionsPath()}/${sessionId}/occurrences/${key}/attendance`;
  const ratingPath = () => `${sessionsPath()}/${sessionId}/occurrences/${key}/rating`;

  it('when the mentor takes attendance, then each member is recorded and listAttendance reports it for CME', async () => {
    const sheet = decodeHtml((await mentor.get(attendancePath()).expect(200)).text);
    expect(sheet).toContain('Jordan Ellis');
    expect(sheet).toMatch(/<label for="present-[0-9a-f]+">[^<]+ <span class="muted">\(mentee\)/);
    const saved = await postForm(mentor, attendancePath(), attendancePath(), {
      present: [ids.nurse, ids.mentor],
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${attendancePath()}?done=saved`);

    const nurseRecords = await listAttendance(course.tenantId, ids.nurse);
    expect(nurseRecords).toEqual([
      expect.objectContaining({
        cohortId,
        cohortName: 'Night-shift mentoring',
        sessionId,
        title: 'Debrief after a hard week',
        durationMinutes: 60,
        present: true,
      }),
    ]);
    expect((await listAttendance(course.tenantId, ids.physician))[0]!.present).toBe(false);
    expect(
      await listAttendance(course.tenantId, ids.nurse, { from: new Date(Date.now() + 3_600_000) }),
    ).toEqual([]);

    const rates = await attendanceRates(course.tenantId, cohortId);
    expect(rates.perMember.find((row) => row.userId === ids.physician)).toMatchObject({
      attended: 0,
      held: 1,
    });
    expect(rates.perMember.find((row) => row.userId === ids.nurse)).toMatchObject({
      attended: 1,
      held: 1,
      name: expect.any(String),
    });
    expect(rates.overall).toBeCloseTo(2 / 3);
    expect(rates.perOccurrence).toEqual([expect.objectContaining({ sessionId, present: 2, recorded: 3 })]);

    const detail = decodeHtml((await mentor.get(`${sessionsPath()}/${sessionId}`).expect(200)).text);
    expect(detail).toContain('Attendance: 2 of 3 present');
  });

  it('when a mentee opens the attendance sheet, then 403; a time the session does not meet is 404', async () => {
    expect((await nurse.get(attendancePath()).set('Accept', 'text/html')).status).toBe(403);
    const wrong = `${sessionsPath()}/${sessionId}/occurrences/2020-01-01T00:00:00Z/attendance`;
    expect((await mentor.get(wrong).set('Accept', 'text/html')).status).toBe(404);
  });

  it('when the present mentee rates it, then the manager sees only the aggregate; the absent one may not rate', async () => {
    expect(decodeHtml((await nurse.get(`${sessionsPath()}/${sessionId}`).expect(200)).text)).toContain(
      'Rate this session',
    );
    const refused = await postForm(nurse, ratingPath(), ratingPath(), {
      score: '9',
      comment: 'Typed comment',
    });
    expect(refused.status).toBe(400);
    expect(decodeHtml(refused.text)).toContain('<a href="#rating-score-1">Choose a rating from 1 to 5.');
    expect(refused.text).toContain('Typed comment</textarea>');

    const rated = await postForm(nurse, ratingPath(), ratingPath(), {
      score: '4',
      comment: 'Helped me sleep after nights',
    });
    expect(rated.status).toBe(303);
    await postForm(nurse, ratingPath(), ratingPath(), {
      score: '5',
      comment: 'Helped me sleep after nights',
    });
    const absent = await postForm(physician, ratingPath(), ratingPath(), { score: '1' });
    expect(absent.status).toBe(403);

    const summary = (await ratingSummary(course.tenantId, cohortId)).find(
      (item) => item.sessionId === sessionId,
    )!;
    // One rating next to the named attendance sheet would be the nurse's own: nothing of it is shown.
    expect(summary).toEqual({
      sessionId,
      title: 'Debrief after a hard week',
      heldBack: true,
      count: null,
      mean: null,
      distribution: [],
      comments: [],
      commentsHeldBack: true,
    });

    const managerView = decodeHtml((await instructor.get(`${sessionsPath()}/${sessionId}`).expect(200)).text);
    expect(managerView).toContain('Fewer than 3 ratings: held back so no one’s rating can be told.');
    expect(managerView).not.toMatch(/rating, mean|mean <strong>|<td>1<\/td>/);
    expect(managerView).not.toContain('How many gave each rating');
    expect(managerView).not.toContain('Helped me sleep');
    const health = decodeHtml((await instructor.get(`/cohorts/${cohortId}/health`).expect(200)).text);
    expect(health).toContain('<td data-label="Ratings">fewer than 3</td>');
    expect(health).toContain('Fewer than 3 ratings: held back so no one’s rating can be told');
    expect(health).not.toContain('rated 5 of 5');
    expect(health).not.toContain('data-label="Average">');
    const mentorView = decodeHtml((await mentor.get(`${sessionsPath()}/${sessionId}`).expect(200)).text);
    expect(mentorView).not.toContain('Ratings (aggregates)');
    expect(mentorView).not.toContain('mean');
  });

  it('when three people rated, then comments appear without names, in alphabetical order', async () => {
    await AttendanceModel.updateMany({ sessionId }, { $set: { present: true } });
    await postForm(physician, ratingPath(), ratingPath(), { score: '3', comment: 'A bit long' });
    const two = (await ratingSummary(course.tenantId, cohortId)).find((item) => item.sessionId === sessionId);
    expect(two).toMatchObject({ heldBack: true, count: null, mean: null, distribution: [], comments: [] });
    const twoView = decodeHtml((await instructor.get(`${sessionsPath()}/${sessionId}`).expect(200)).text);
    expect(twoView).toContain('Fewer than 3 ratings: held back so no one’s rating can be told.');
    expect(twoView).not.toContain('A bit long');

    await postForm(mentor, ratingPath(), ratingPath(), { score: '4', comment: '' });
    const summary = (await ratingSummary(course.tenantId, cohortId)).find(
      (item) => item.sessionId === sessionId,
    )!;
    expect(summary).toMatchObject({
      count: 3,
      mean: 4,
      comments: ['A bit long', 'Helped me sleep after nights'],
    });
    expect(summary.distribution).toEqual([
      { score: 1, count: 0 },
      { score: 2, count: 0 },
      { score: 3, count: 1 },
      { score: 4, count: 1 },
      { score: 5, count: 1 },
    ]);
    const managerView = decodeHtml((await instructor.get(`${sessionsPath()}/${sessionId}`).expect(200)).text);
    expect(managerView).toContain('<li>A bit long</li>');
    expect(managerView).toContain('3 ratings, mean <strong>4</strong> of 5.');
    expect(managerView).not.toContain('Jordan Ellis');
  });

  it('when a mentee attended a one-to-one, then nothing offers a rating and the rating page and its form answer 404', async () => {
    const form = await openForm(mentor, newPath());
    const pairValue = /<option value="([0-9a-f]{24})">One-to-one with/.exec(form.html)![1]!;
    const oneToOne = await schedule(mentor, {
      ...oneOffHoursAgo(3, 'Nurse one-to-one debrief'),
      audience: pairValue,
    });
    const session = await CohortSessionModel.findById(oneToOne).lean();
    const start = DateTime.fromJSDate(session!.startsAt, { zone: 'utc' }).toISO({
      suppressMilliseconds: true,
    })!;
    const occurrence = `${sessionsPath()}/${oneToOne}/occurrences/${start}`;
    const taken = await postForm(mentor, `${occurrence}/attendance`, `${occurrence}/attendance`, {
      present: [ids.nurse, ids.mentor],
    });
    expect(taken.status).toBe(303);

    const detail = decodeHtml((await nurse.get(`${sessionsPath()}/${oneToOne}`).expect(200)).text);
    expect(detail).toContain('Your attendance: Present');
    expect(detail).not.toContain('Rate this session');
    expect(detail).not.toContain('/rating');
    expect((await nurse.get(`${occurrence}/rating`).set('Accept', 'text/html')).status).toBe(404);
    const { csrf } = await openForm(nurse, `${sessionsPath()}/${oneToOne}`);
    const posted = await nurse
      .post(`${occurrence}/rating`)
      .type('form')
      .set('Accept', 'text/html')
      .send({ _csrf: csrf, score: '2', comment: 'Awkward' });
    expect(posted.status).toBe(404);
    expect(await SessionRatingModel.exists({ sessionId: oneToOne })).toBeNull();
    const managerView = decodeHtml((await instructor.get(`${sessionsPath()}/${oneToOne}`).expect(200)).text);
    expect(managerView).not.toContain('Ratings (aggregates)');
  });

  it('when a session has not started, then attendance cannot be taken yet', async () => {
    const later = await schedule(mentor, {
      ...weekly,
      title: 'Next year',
      date: '2099-01-08',
      recurrence: 'none',
      repeatUntil: '',
    });
    const path = `${sessionsPath()}/${later}/occurrences/2099-01-09T00:00:00Z/attendance`;
    expect(decodeHtml((await mentor.get(path).expect(200)).text)).toContain('once the session has started');
    expect((await postForm(mentor, path, path, { present: ids.nurse })).status).toBe(400);
    expect(await AttendanceModel.exists({ sessionId: later })).toBeNull();
  });
});

describe('the sessions page', () => {
  it('when a mentee opens it, then upcoming dates show in the cohort’s zone with the zone named', async () => {
    const page = decodeHtml((await nurse.get(sessionsPath()).expect(200)).text);
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page).toContain('All times below are in <strong>America/Chicago</strong>');
    expect(page).toContain('Thursday 8 January 2099, 18:00–19:00');
    expect(page).toContain('<option value="" selected>The cohort’s zone (America/Chicago)</option>');
    expect(page).not.toContain('<option value="America/Chicago" selected>');
    expect(page).not.toContain('Schedule a session</a>');
    expect(decodeHtml((await mentor.get(sessionsPath()).expect(200)).text)).toContain(
      'Schedule a session</a>',
    );
  });
});

describe('upcoming occurrences for dashboards', () => {
  it('when a mentee’s next sessions are asked for, then only what has not ended comes, soonest first, in the cohort’s zone', async () => {
    const viewer = { tenantId: course.tenantId, userId: ids.nurse, name: 'Nora' };
    const upcoming = await upcomingOccurrences(viewer, { limit: 5 });
    expect(upcoming.map((item) => item.title)).toEqual(['Next year']);
    expect(upcoming[0]).toMatchObject({
      cohortId,
      cohortName: 'Night-shift mentoring',
      timeZone: 'America/Chicago',
    });
    expect(upcoming[0]!.label.full).toBe('Thursday 8 January 2099, 18:00–19:00 CST');
    const outsider = { tenantId: course.tenantId, userId: ids.pharmacist, name: 'Pat' };
    expect(await upcomingOccurrences(outsider, { cohortIds: [cohortId] })).toEqual([]);
  });
});
