/**
 * `npm run bench:player`: how fast Rounds serves a module step and saves an answer with 10,000 learners' progress
 * and self-check results in the database (issue 10: p95 under 20 ms for both).
 *
 * Seeds, through Rounds' own models and services, one tenant with `--learners` learners (default 10,000): each
 * has progress part-way through a bundled module (on the version it started) and a sealed PHQ-2 result with its
 * data key and tally, as real use leaves them. Then, against Rounds in a process of its own (production's outbox and
 * sweep timings, bench/servers/rounds.server.ts) on the same database server, signed-in learners chosen at random
 * send, one request at a time over keep-alive connections:
 * - GET a module step (the player's page, the learner's progress read by its unique key),
 * - POST a knowledge-check answer (graded, saved in progress, 303),
 * - POST a self-check answer (scored, sealed under the learner's key, tallied, 303),
 * - GET /home, the baseline: a signed-in page that reads nothing but the session.
 * Each figure is the time from sending the request to the last byte of the answer, measured on the same machine,
 * so it is the server's time plus a loopback round trip; p50/p95/p99 are printed with the ratio of each p95 to the
 * baseline's, measured in the same run. Exits 1 when a request fails or a p95 reaches --target-ms (default 20).
 *
 * Options (argv, after `--`): --learners N (default 10000), --requests N per kind (default 1500),
 * --sessions N signed-in learners to send them as (default 200), --target-ms (default 20).
 */
import http from 'node:http';
import type { Request } from 'express';
import { parseArgs } from 'node:util';

import type { Actor } from '../src/shared/auth/actor';
import { startSession } from '../src/shared/auth/session.service';
import { csrfTokenFor } from '../src/shared/http/csrf';
import { sessionCookieName } from '../src/shared/http/session';
import { CourseModel, TenantModel, UserModel } from '../src/tenancy';
import { resolveModule } from '../src/wellbeing';
import { saveResult, vaultFor } from '../src/wellbeing/results';
import { seedProgress } from './player.seed';
import { positive, reportLatencies, timedRequest } from './benchHttp';
import { withBenchRounds } from './serverProcess';

const { values } = parseArgs({
  options: {
    learners: { type: 'string', default: '10000' },
    requests: { type: 'string', default: '1500' },
    sessions: { type: 'string', default: '200' },
    'target-ms': { type: 'string', default: '20' },
  },
});
const learnerCount = positive('learners', values.learners!);
const requestsPerKind = positive('requests', values.requests!);
const sessionCount = Math.min(positive('sessions', values.sessions!), learnerCount);
const targetMs = positive('target-ms', values['target-ms']!);
const moduleSlug = 'two-minute-resets';

interface SignedInLearner {
  cookie: string;
  csrf: string;
}

async function main() {
  await withBenchRounds('bench_player', async ({ rounds, config, databaseKind }) => {
    console.log(`database: ${databaseKind}; ${learnerCount} learners, ${requestsPerKind} requests per kind`);
    const started = Date.now();
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
    const module = await resolveModule(moduleSlug, String(tenant._id));
    if (!module) throw new Error(`the bundled module ${moduleSlug} was not imported`);
    const users = await UserModel.insertMany(
      Array.from({ length: learnerCount }, (_, index) => ({
        tenantId: tenant._id,
        subject: `bench-${index}`,
        name: `Learner ${index}`,
        givenName: 'Learner',
      })),
    );
    const actors: Actor[] = users.map((user) => ({
      tenantId: String(tenant._id),
      userId: String(user._id),
      courseId: String(course._id),
      role: 'learner',
      name: user.givenName,
      courseTitle: 'Bench course',
    }));
    await seedProgress(actors, module);
    const vault = vaultFor(config);
    for (let index = 0; index < actors.length; index += 20) {
      await Promise.all(
        actors.slice(index, index + 20).map((actor, offset) =>
          saveResult(vault, actor, 'phq-2', {
            'phq2-1': (index + offset) % 4,
            'phq2-2': (index + offset) % 3,
          }),
        ),
      );
    }
    console.log(
      `seeded ${learnerCount} learners' progress and results in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const cookieName = sessionCookieName(config);
    const learners: SignedInLearner[] = [];
    for (const actor of actors.slice(0, sessionCount)) {
      const token = await startSession(actor, { idleHours: 12, absoluteHours: 12 });
      learners.push({
        cookie: `${cookieName}=${token}`,
        csrf: csrfTokenFor({ sessionToken: token } as Request, config.sessionSecret),
      });
    }

    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const stepCount = module.definition.steps.length;
    const checkNumber = module.definition.steps.findIndex((step) => step.kind === 'check') + 1;
    const kinds = {
      'GET /home (baseline)': (learner: SignedInLearner) =>
        timedRequest(agent, `${rounds.url}/home`, { method: 'GET', cookie: learner.cookie }),
      'GET a module step': (learner: SignedInLearner, n: number) =>
        timedRequest(agent, `${rounds.url}/modules/${moduleSlug}/steps/${(n % stepCount) + 1}`, {
          method: 'GET',
          cookie: learner.cookie,
        }),
      'POST a check answer': (learner: SignedInLearner, n: number) =>
        timedRequest(agent, `${rounds.url}/modules/${moduleSlug}/steps/${checkNumber}`, {
          method: 'POST',
          cookie: learner.cookie,
          form: { _csrf: learner.csrf, q_q1: n % 2 ? 'a' : 'b', q_q2: 'b', q_q3: 'b' },
        }),
      'POST a self-check answer': (learner: SignedInLearner, n: number) =>
        timedRequest(agent, `${rounds.url}/wellbeing/checks/phq-2`, {
          method: 'POST',
          cookie: learner.cookie,
          form: { _csrf: learner.csrf, 'phq2-1': String(n % 4), 'phq2-2': String(n % 3) },
        }),
    };
    const expected: Record<string, number> = {
      'GET /home (baseline)': 200,
      'GET a module step': 200,
      'POST a check answer': 303,
      'POST a self-check answer': 303,
    };

    // Warm-up, then the kinds interleaved request by request, so drift on a shared machine hits them alike.
    const latencies = new Map<string, number[]>(Object.keys(kinds).map((kind) => [kind, []]));
    const failures: string[] = [];
    for (let n = -200; n < requestsPerKind; n++) {
      for (const [kind, send] of Object.entries(kinds)) {
        const learner = learners[Math.floor(Math.random() * learners.length)]!;
        const { status, ms } = await send(learner, Math.abs(n));
        if (status !== expected[kind]) failures.push(`${kind}: ${status}`);
        if (n >= 0) latencies.get(kind)!.push(ms);
      }
    }
    agent.destroy();

    const pass = reportLatencies(latencies, failures, {
      baseline: 'GET /home (baseline)',
      targetMs,
      target: 'the step and both answers',
    });
    process.exitCode = pass ? 0 : 1;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
