/**
 * `npm run bench:signin`: sign-in throughput with argon2id at the cost Rounds uses (OWASP: m=19 MiB, t=2, p=1),
 * and the time a wrong password takes against an unknown e-mail (issue 11: equal within noise, so timing tells
 * nobody which accounts exist).
 *
 * Against Rounds in a process of its own (bench/servers/rounds.server.ts) on an embedded database:
 * - throughput: `--concurrency` clients (default: the machine's cores) POST /signin with the right password for
 *   `--seconds` (default 10); each success starts a session (303). Printed: sign-ins per second, p50/p95.
 * - equality: `--probes` (default 200) pairs of one wrong password for a known account and one unknown e-mail,
 *   sent one at a time and alternated, so drift on a shared machine hits both alike. Wrong passwords go round
 *   enough accounts that none reaches the lockout (which would skip the hash and read faster); each unknown
 *   e-mail is new. Printed: p50/p95 of each and the ratio of the medians, with its verdict (0.9–1.1 passes).
 * Exits 1 when a request answers unexpectedly or the ratio is outside that band.
 */
import http from 'node:http';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { AccountModel } from '../src/accounts/account.model';
import { argon2Options, hashPassword } from '../src/accounts/password.service';
import { SignInThrottleModel } from '../src/accounts/signinThrottle.model';

import { latencySummary, positive, timedRequest } from './benchHttp';
import { withBenchRounds } from './serverProcess';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: String(os.availableParallelism()) },
    seconds: { type: 'string', default: '10' },
    probes: { type: 'string', default: '200' },
  },
});
const concurrency = positive('concurrency', values.concurrency!);
const seconds = positive('seconds', values.seconds!);
const probes = positive('probes', values.probes!);
const password = 'a bench password long enough';
/** Under the lockout's count of failures per e-mail (config signinFailuresBeforeLock, 5 by default). */
const failuresPerAccount = 3;

/** The sign-in form's pre-session cookie and its token, as a browser gets them from GET /signin. */
async function signInForm(agent: http.Agent, url: string): Promise<{ cookie: string; csrf: string }> {
  const page = await timedRequest(agent, `${url}/signin`, { method: 'GET' });
  const cookie = (page.headers['set-cookie'] ?? []).map((line) => line.split(';')[0]!).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  if (!cookie || !csrf) throw new Error(`GET /signin gave no form cookie or token (${page.status})`);
  return { cookie, csrf };
}

async function main() {
  const failures: string[] = [];
  await withBenchRounds('bench_signin', async ({ rounds, databaseKind }) => {
    // One hash for every account: the seed need not pay argon2id per account.
    const passwordHash = await hashPassword(password);
    const accountCount = Math.ceil(probes / failuresPerAccount) + concurrency;
    await AccountModel.insertMany(
      Array.from({ length: accountCount }, (_, index) => ({
        email: `bench-${index}@example.org`,
        name: `Bench ${index}`,
        passwordHash,
        passwordSetAt: new Date(),
        grants: [{ role: 'mentor', grantedAt: new Date(), grantedBy: 'bench' }],
      })),
    );
    console.log(
      `database: ${databaseKind}; argon2id m=${argon2Options.memoryCost} KiB, t=${argon2Options.timeCost}, ` +
        `p=${argon2Options.parallelism}; ${accountCount} accounts; ${os.availableParallelism()} cores`,
    );

    // Throughput: `concurrency` clients signing in with the right password for `seconds`.
    const throughputMs: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, client) => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        const form = await signInForm(agent, rounds.url);
        const email = `bench-${accountCount - 1 - client}@example.org`;
        while (Date.now() < deadline) {
          const answer = await timedRequest(agent, `${rounds.url}/signin`, {
            method: 'POST',
            cookie: form.cookie,
            form: { _csrf: form.csrf, email, password },
          });
          if (answer.status !== 303) failures.push(`right password: ${answer.status}`);
          throughputMs.push(answer.ms);
        }
        agent.destroy();
      }),
    );
    const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const rate = throughputMs.length / elapsedSeconds;
    const signedIn = latencySummary(throughputMs);
    console.log(
      `\nthroughput: ${throughputMs.length} sign-ins in ${elapsedSeconds.toFixed(1)} s with ${concurrency} clients = ` +
        `${rate.toFixed(1)} sign-ins/s (p50 ${signedIn.p50.toFixed(1)} ms, p95 ${signedIn.p95.toFixed(1)} ms)`,
    );

    // Equality: a wrong password for a known account against an unknown e-mail, alternated one at a time.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const form = await signInForm(agent, rounds.url);
    const times = { 'wrong password': [] as number[], 'unknown e-mail': [] as number[] };
    for (let n = -20; n < probes; n++) {
      const probe = Math.abs(n);
      const pairs: [keyof typeof times, string][] = [
        ['wrong password', `bench-${Math.floor(probe / failuresPerAccount)}@example.org`],
        ['unknown e-mail', `nobody-${n}-${Date.now()}@example.org`],
      ];
      // Which of the two goes first alternates too.
      if (probe % 2) pairs.reverse();
      for (const [kind, email] of pairs) {
        const answer = await timedRequest(agent, `${rounds.url}/signin`, {
          method: 'POST',
          cookie: form.cookie,
          form: { _csrf: form.csrf, email, password: `not ${password}` },
        });
        if (answer.status !== 401) failures.push(`${kind}: ${answer.status}`);
        if (n >= 0) times[kind].push(answer.ms);
      }
      // The warm-up's failures must not count toward a lockout of the accounts measured.
      if (n === -1) await SignInThrottleModel.deleteMany({});
    }
    agent.destroy();
    const wrong = latencySummary(times['wrong password']);
    const unknown = latencySummary(times['unknown e-mail']);
    const ratio = unknown.p50 / wrong.p50;
    const equal = ratio >= 0.9 && ratio <= 1.1;
    console.log(`\n${'answer (401)'.padEnd(18)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}`);
    for (const [kind, figures] of [
      ['wrong password', wrong],
      ['unknown e-mail', unknown],
    ] as const) {
      console.log(
        `${kind.padEnd(18)}${figures.p50.toFixed(1).padStart(8)}${figures.p95.toFixed(1).padStart(8)}`,
      );
    }
    console.log(
      `unknown / wrong (p50): ${ratio.toFixed(3)}  ${equal ? 'PASS' : 'FAIL'} (0.9–1.1); ${failures.length} unexpected answers`,
    );
    for (const failure of [...new Set(failures)].slice(0, 10)) console.log(`  ${failure}`);
    process.exitCode = equal && failures.length === 0 ? 0 : 1;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
