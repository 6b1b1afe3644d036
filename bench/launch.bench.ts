/**
 * `npm run bench:launch`: full LTI launches per second (sandbox "Launch as" → OIDC login → platform auth →
 * id_token POST → first page) and p50/p99 latency at 1, 10 and 50 concurrent users, for Rounds and, in the same
 * run, on the same database server, for a bare ltijs app doing the same launch. Runs alternate (bare, Rounds,
 * Rounds, bare) so drift on a shared machine hits both; the figure that matters is the throughput ratio.
 *
 * The client sends the Fetch Metadata header a browser sends for each navigation: `Sec-Fetch-Dest: document` for
 * a launch in its own window (the sandbox's "Launch as" buttons), or `iframe` with --frame, the launch embedded in
 * the course page, where Rounds takes one more hop to see whether the frame keeps cookies.
 *
 * Options (argv): --seconds N per run (default 8), --warmup N seconds per server (default 8), --levels 1,10,50,
 * --frame.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/config';
import { startEmbeddedDatabase } from '../src/shared/db/embedded';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '8' },
    levels: { type: 'string', default: '1,10,50' },
    frame: { type: 'boolean', default: false },
  },
});
const fetchDestination = values.frame ? 'iframe' : 'document';
const runSeconds = Number(values.seconds);
const warmupSeconds = Number(values.warmup);
const levels = values.levels!.split(',').map(Number);

interface Target {
  name: string;
  url: string;
  process: ChildProcess;
}

/** Starts one of bench/servers/*.server.ts as a child and waits for its `READY <url>` line. */
async function startServer(name: string, file: string, databaseUri: string): Promise<Target> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'servers', file), databaseUri],
    {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /^READY (\S+)$/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code} before it was ready`)));
  });
  return { name, url, process: child };
}

/** A browser's cookie jar, just enough for one launch: name=value per origin-less name. */
class CookieJar {
  private cookies = new Map<string, string>();
  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(header) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function decode(html: string): string {
  return html
    .replace(/&amp;/g, '&')
    .replace(/&#x3D;/g, '=')
    .replace(/&quot;/g, '"');
}

/** One full launch as the nurse; resolves with the final page's HTML after checking it is the greeting. */
async function launchOnce(base: string): Promise<void> {
  const jar = new CookieJar();
  const request = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: jar.header(),
        'sec-fetch-dest': fetchDestination,
        'sec-fetch-mode': 'navigate',
      },
    });
    jar.store(response);
    return response;
  };
  let response = await request(`${base}/sandbox/launch/nurse`);
  for (let step = 0; step < 12; step++) {
    if (response.status >= 300 && response.status < 400) {
      await response.arrayBuffer();
      response = await request(new URL(response.headers.get('location')!, response.url || base).toString());
      continue;
    }
    const html = await response.text();
    if (response.status !== 200)
      throw new Error(`HTTP ${response.status} at step ${step}: ${html.slice(0, 200)}`);
    if (html.includes('Welcome, Nora')) return;
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    if (!form) throw new Error(`no form and no greeting at step ${step}: ${html.slice(0, 300)}`);
    const body = new URLSearchParams();
    for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      if (name) body.set(name, decode(value ?? ''));
    }
    response = await request(decode(form[1]!), {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }
  throw new Error('launch did not reach the first page within 12 steps');
}

interface RunResult {
  launches: number;
  errors: number;
  latencies: number[];
  seconds: number;
}

/** `users` virtual users launch back to back for `seconds`. */
async function run(target: Target, users: number, seconds: number): Promise<RunResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: users }, async () => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        try {
          await launchOnce(target.url);
          latencies.push(performance.now() - begin);
        } catch (error) {
          errors++;
          firstError ??= error;
        }
      }
    }),
  );
  if (firstError)
    console.error(`${target.name}: ${errors} failed launches; first: ${(firstError as Error).message}`);
  return { launches: latencies.length, errors, latencies, seconds: (performance.now() - started) / 1000 };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summarize(results: RunResult[]) {
  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const launches = results.reduce((sum, r) => sum + r.launches, 0);
  const seconds = results.reduce((sum, r) => sum + r.seconds, 0);
  return {
    perSecond: launches / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    launches,
    errors: results.reduce((sum, r) => sum + r.errors, 0),
  };
}

async function main() {
  const database = await startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(projectRoot, 'data', 'bench'),
    log: { info: () => undefined, warn: () => undefined },
  });
  console.log(
    `database: ${database.kind} (${database.uri}); ${runSeconds} s per run; levels ${levels.join(', ')}; ` +
      `launches in ${values.frame ? 'an iframe' : 'their own window'}`,
  );
  const bare = await startServer('bare ltijs', 'bare-ltijs.server.ts', `${database.uri}bench_bare_ltijs`);
  const rounds = await startServer('Rounds', 'rounds.server.ts', `${database.uri}bench_rounds`);
  try {
    // Warm-up until both run optimised code (JIT, keysets, connection pools): a server runs for days, not seconds.
    for (const target of [bare, rounds]) await run(target, 4, warmupSeconds);
    const rows: string[] = [];
    let worstRatio = Infinity;
    for (const users of levels) {
      const bareRuns = [await run(bare, users, runSeconds / 2)];
      const roundsRuns = [await run(rounds, users, runSeconds / 2), await run(rounds, users, runSeconds / 2)];
      bareRuns.push(await run(bare, users, runSeconds / 2));
      const b = summarize(bareRuns);
      const r = summarize(roundsRuns);
      const ratio = r.perSecond / b.perSecond;
      worstRatio = Math.min(worstRatio, ratio);
      rows.push(
        [
          String(users).padStart(5),
          b.perSecond.toFixed(1).padStart(9),
          b.p50.toFixed(0).padStart(7),
          b.p99.toFixed(0).padStart(7),
          r.perSecond.toFixed(1).padStart(9),
          r.p50.toFixed(0).padStart(7),
          r.p99.toFixed(0).padStart(7),
          ratio.toFixed(2).padStart(6),
          `${b.errors + r.errors}`.padStart(7),
        ].join(' '),
      );
    }
    console.log('\n              bare ltijs                 Rounds');
    console.log('users  launch/s  p50 ms  p99 ms  launch/s  p50 ms  p99 ms  ratio  errors');
    for (const row of rows) console.log(row);
    console.log(`\nworst Rounds/bare-ltijs throughput ratio: ${worstRatio.toFixed(2)} (target ≥ 0.80)`);
    process.exitCode = worstRatio >= 0.8 ? 0 : 1;
  } finally {
    for (const target of [bare, rounds]) target.process.stdin!.end();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await database.stop();
  }
}

void main();
