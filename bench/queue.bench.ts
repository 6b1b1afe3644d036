/**
 * `npm run bench:queue`: how fast Rounds serves a mentor's grading queue and takes a grade with 200 mentees and
 * 5,000 reflections in the database (issue 12: p95 under 100 ms for both).
 *
 * Seeds, through Rounds' models, one tenant and course with a mentoring cohort: one mentor paired with `--mentees`
 * mentees (default 200), `--assignments` assignments (default 25, half past due), and a reflection per mentee and
 * assignment (5,000) as real use leaves them: graded, returned, submitted (some on a second version after a
 * return), or still a draft. The assignment is placed in the course (a resource link with its line item), so each
 * grade is queued for the LMS through the outbox as in production. Then, against Rounds in a process of its own
 * (bench/servers/rounds.server.ts) on the same database server, the signed-in mentor sends, one request at a
 * time over a keep-alive connection:
 * - GET /grading (the queue: counts of every tab, the oldest 50 to grade, names),
 * - POST /grading/:versionId (a grade with the rubric and feedback: saved, queued for the LMS, 303 to the next),
 * - GET /home, the baseline: a signed-in page that reads nothing but the session.
 * Each figure is the time from sending the request to the last byte of the answer, on the same machine; p50/p95/
 * p99 are printed with each p95's ratio to the baseline's. Exits 1 when a request fails or a p95 reaches
 * --target-ms (default 100).
 *
 * Options (argv, after `--`): --mentees N (default 200), --assignments N (default 25), --requests N per kind
 * (default 500), --target-ms (default 100).
 */
import http from 'node:http';
import type { Request } from 'express';
import mongoose from 'mongoose';
import { parseArgs } from 'node:util';
import { CohortMemberModel, CohortModel, PairModel } from '../src/cohorts';
import {
  AssignmentLinkModel,
  CohortReflectionModel,
  ReflectionAssignmentModel,
  ReflectionVersionModel,
  refreshMenteeQueue,
} from '../src/cohorts/reflections';
import { ResourceLinkModel } from '../src/lti/services';
import type { Actor } from '../src/shared/auth/actor';
import { startSession } from '../src/shared/auth/session.service';
import { csrfTokenFor } from '../src/shared/http/csrf';
import { sessionCookieName } from '../src/shared/http/session';
import { CourseModel, TenantModel, UserModel } from '../src/tenancy';
import { positive, reportLatencies, timedRequest } from './benchHttp';
import { withBenchRounds } from './serverProcess';

const { values } = parseArgs({
  options: {
    mentees: { type: 'string', default: '200' },
    assignments: { type: 'string', default: '25' },
    requests: { type: 'string', default: '500' },
    'target-ms': { type: 'string', default: '100' },
  },
});
const menteeCount = positive('mentees', values.mentees!);
const assignmentCount = positive('assignments', values.assignments!);
const requestsPerKind = positive('requests', values.requests!);
const targetMs = positive('target-ms', values['target-ms']!);
const warmUp = 100;

const rubric = {
  criteria: [
    {
      title: 'Insight',
      levels: [
        { label: 'Emerging', points: 1 },
        { label: 'Developing', points: 2 },
        { label: 'Proficient', points: 3 },
      ],
    },
    {
      title: 'Plan',
      levels: [
        { label: 'Missing', points: 0 },
        { label: 'Clear', points: 4 },
      ],
    },
  ],
};

/** What each reflection is left as, in turn: most submitted or graded, some returned or revised, a few drafts. */
const fates = [
  'submitted',
  'graded',
  'submitted',
  'graded',
  'returned',
  'revised',
  'submitted',
  'graded',
  'draft',
  'submitted',
] as const;

async function seed() {
  const tenant = await TenantModel.create({
    issuer: 'https://lms.bench.example',
    clientId: 'bench',
    deploymentId: '1',
  });
  const course = await CourseModel.create({
    tenantId: tenant._id,
    contextId: 'bench-course',
    title: 'Bench course',
  });
  const mentor = await UserModel.create({
    tenantId: tenant._id,
    subject: 'mentor',
    name: 'Dr. Bench Mentor',
    givenName: 'Bench',
  });
  const mentees = await UserModel.insertMany(
    Array.from({ length: menteeCount }, (_, index) => ({
      tenantId: tenant._id,
      subject: `mentee-${index}`,
      name: `Mentee ${index}`,
    })),
  );
  const cohort = await CohortModel.create({
    tenantId: tenant._id,
    courseId: course._id,
    name: 'Bench cohort',
    kind: 'mentoring',
    timeZone: 'America/Chicago',
    startDate: '2026-01-01',
    endDate: '2099-12-31',
    capacityPerMentor: 50,
    rosterMode: 'manual',
  });
  await CohortMemberModel.insertMany([
    {
      tenantId: tenant._id,
      cohortId: cohort._id,
      userId: mentor._id,
      role: 'mentor',
      source: 'manual',
      capacity: 50,
    },
    ...mentees.map((mentee) => ({
      tenantId: tenant._id,
      cohortId: cohort._id,
      userId: mentee._id,
      role: 'mentee',
      source: 'manual',
    })),
  ]);
  await PairModel.insertMany(
    mentees.map((mentee) => ({
      tenantId: tenant._id,
      cohortId: cohort._id,
      mentorId: mentor._id,
      menteeId: mentee._id,
      confirmedBy: mentor._id,
      confirmedAt: new Date(),
    })),
  );
  const now = Date.now();
  const day = 24 * 3600 * 1000;
  const assignments = await ReflectionAssignmentModel.insertMany(
    Array.from({ length: assignmentCount }, (_, index) => ({
      tenantId: tenant._id,
      cohortId: cohort._id,
      courseId: course._id,
      title: `Reflection ${index + 1}`,
      prompt: 'What happened, what did you feel, what will you do next time?',
      rubric,
      scoreMaximum: 7,
      dueAt: new Date(now + (index - Math.floor(assignmentCount / 2)) * 7 * day),
    })),
  );
  // The assignment's LMS activity: grades are queued for it through the outbox, as in production.
  await ResourceLinkModel.create({
    tenantId: tenant._id,
    courseId: course._id,
    resourceLinkId: 'bench-link',
    title: 'Reflections',
  });
  await AssignmentLinkModel.create({
    tenantId: tenant._id,
    courseId: course._id,
    assignmentKey: 'cohort-reflection',
    resourceLinkId: 'bench-link',
    lastLaunchAt: new Date(),
  });

  const reflections: Record<string, unknown>[] = [];
  const versions: Record<string, unknown>[] = [];
  let n = 0;
  const text = 'I stayed with the family after the news. '.repeat(40);
  for (const assignment of assignments) {
    for (const mentee of mentees) {
      const fate = fates[n++ % fates.length]!;
      const reflectionId = new mongoose.Types.ObjectId();
      const submittedAt = new Date(now - 30 * day + n * 60_000);
      const base = {
        tenantId: tenant._id,
        cohortId: cohort._id,
        assignmentId: assignment._id,
        menteeId: mentee._id,
      };
      const latest = fate === 'draft' ? 0 : fate === 'revised' ? 2 : 1;
      const status = fate === 'revised' ? 'submitted' : fate;
      reflections.push({
        ...base,
        _id: reflectionId,
        status,
        draftText: text,
        latestVersion: latest,
        ...(latest ? { submittedAt } : {}),
      });
      if (latest === 0) continue;
      if (fate === 'revised') {
        versions.push({
          ...base,
          reflectionId,
          number: 1,
          text,
          submittedAt,
          status: 'returned',
          superseded: true,
          feedback: 'Say more.',
          returnedAt: submittedAt,
        });
      }
      versions.push({
        ...base,
        reflectionId,
        number: latest,
        text,
        submittedAt,
        status,
        ...(status === 'graded'
          ? {
              score: 5,
              scoreMaximum: 7,
              gradedBy: mentor._id,
              gradedAt: submittedAt,
              feedback: 'Good.',
              lmsState: 'queued',
            }
          : {}),
        ...(status === 'returned' ? { feedback: 'Say more.', returnedAt: submittedAt } : {}),
      });
    }
  }
  for (let index = 0; index < reflections.length; index += 1000) {
    await CohortReflectionModel.insertMany(reflections.slice(index, index + 1000));
  }
  for (let index = 0; index < versions.length; index += 1000) {
    await ReflectionVersionModel.insertMany(versions.slice(index, index + 1000));
  }
  // What submitting, returning and grading through the services leave: each mentee's queue document.
  for (const mentee of mentees) await refreshMenteeQueue(tenant._id, cohort._id, mentee._id);
  const toGrade = await ReflectionVersionModel.find({ status: 'submitted', superseded: false }, { _id: 1 })
    .sort({ submittedAt: -1 })
    .lean();
  const actor: Actor = {
    tenantId: String(tenant._id),
    userId: String(mentor._id),
    courseId: String(course._id),
    role: 'learner',
    name: 'Bench',
    courseTitle: 'Bench course',
  };
  return {
    actor,
    toGrade: toGrade.map((version) => String(version._id)),
    reflections: reflections.length,
    versions: versions.length,
  };
}

async function main() {
  await withBenchRounds('bench_queue', async ({ rounds, config, databaseKind }) => {
    const started = Date.now();
    const { actor, toGrade, reflections, versions } = await seed();
    console.log(
      `database: ${databaseKind}; ${menteeCount} mentees, ${assignmentCount} assignments, ${reflections} reflections, ` +
        `${versions} versions (${toGrade.length} to grade); seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    if (toGrade.length < warmUp + requestsPerKind)
      throw new Error('not enough reflections to grade: lower --requests');
    const token = await startSession(actor, { idleHours: 12, absoluteHours: 12 });
    const cookie = `${sessionCookieName(config)}=${token}`;
    const csrf = csrfTokenFor({ sessionToken: token } as Request, config.sessionSecret);

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const kinds = {
      'GET /home (baseline)': () => timedRequest(agent, `${rounds.url}/home`, { method: 'GET', cookie }),
      'GET /grading (the queue)': () =>
        timedRequest(agent, `${rounds.url}/grading`, { method: 'GET', cookie }),
      'POST a grade': (n: number) =>
        timedRequest(agent, `${rounds.url}/grading/${toGrade[n]!}`, {
          method: 'POST',
          cookie,
          form: {
            _csrf: csrf,
            action: 'grade',
            level_0: String(n % 3),
            level_1: String(n % 2),
            feedback: 'Thank you: a clear plan.',
          },
        }),
    };
    const expected: Record<string, number> = {
      'GET /home (baseline)': 200,
      'GET /grading (the queue)': 200,
      'POST a grade': 303,
    };

    // Warm-up, then the kinds interleaved request by request, so drift on a shared machine hits them alike.
    const latencies = new Map<string, number[]>(Object.keys(kinds).map((kind) => [kind, []]));
    const failures: string[] = [];
    for (let n = 0; n < warmUp + requestsPerKind; n++) {
      for (const [kind, send] of Object.entries(kinds)) {
        const { status, ms } = await send(n);
        if (status !== expected[kind]) failures.push(`${kind}: ${status}`);
        if (n >= warmUp) latencies.get(kind)!.push(ms);
      }
    }
    agent.destroy();

    const pass = reportLatencies(latencies, failures, {
      baseline: 'GET /home (baseline)',
      targetMs,
      target: 'the queue and a grade',
    });
    process.exitCode = pass ? 0 : 1;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
