/**
 * `npm run bench:launch`: full LTI launches per second (sandbox "Launch as" → OIDC login → platform auth →
 * id_token POST → first page), p50/p99 latency and CPU milliseconds per launch, at 1, 10 and 50 concurrent users,
 * for Rounds and, in the same run, on the same database server, for a bare ltijs app doing the same launch.
 *
 * Rounds runs with production's timings (outbox poll and sweep interval from config/default.json, not test.json's)
 * and with its per-address login and registration limits lifted, since every launch here comes from 127.0.0.1
 * (bench/servers/rounds.server.ts). Neither server logs requests.
 *
 * Each level runs three times per server, interleaved (bare, Rounds; Rounds, bare; bare, Rounds) so drift on a
 * shared machine hits both. Each run is printed; then, per level, the median of the three runs of each figure and
 * the throughput ratio of the two medians, with PASS when it reaches --target. CPU ms per launch is the server
 * process's user+system CPU across the run (its app and the sandbox LMS it hosts, the same sandbox in both),
 * divided by launches completed; "db ms" is the same for the database server process, when /proc shows it.
 * An error is any launch that does not reach the first page (an unexpected status, a network error); each kind is
 * counted and printed. Exits non-zero if any launch failed (warm-up included) or any level's ratio is below target.
 *
 * The client sends the Fetch Metadata header a browser sends for each navigation: `Sec-Fetch-Dest: document` for
 * a launch in its own window (the sandbox's "Launch as" buttons), or `iframe` with --frame, the launch embedded in
 * the course page, where Rounds takes one more hop to see whether the frame keeps cookies.
 *
 * Options (argv, after `--`): --seconds N per run (default 8), --warmup N seconds per server before the first level
 * (default 8), --levels 1,10,50 (concurrent users), --target R minimum Rounds/bare ltijs throughput ratio
 * (default 1.4), --frame.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from '../src/config';
import { startEmbeddedDatabase } from '../src/shared/db/embedded';
import { applyLoad, type ErrorTally, type FetchDestination } from './launch.client';
import { processCpuMilliseconds } from './procCpu';
import { latencySummary } from './benchHttp';
import { startServer, stopServer, type Server } from './serverProcess';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '8' },
    levels: { type: 'string', default: '1,10,50' },
    target: { type: 'string', default: '1.4' },
    frame: { type: 'boolean', default: false },
  },
});
const destination: FetchDestination = values.frame ? 'iframe' : 'document';
const runSeconds = positive('seconds', values.seconds!);
const warmupSeconds = values.warmup === '0' ? 0 : positive('warmup', values.warmup!);
const levels = values.levels!.split(',').map((level) => positive('levels', level));
const targetRatio = positive('target', values.target!);
const runsPerLevel = 3;

function positive(option: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${option}: "${text}" is not a positive number`);
  return value;
}

interface Measurement {
  launches: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuPerLaunch: number;
  /** NaN when the database server's CPU cannot be read. */
  dbPerLaunch: number;
  errors: Map<string, ErrorTally>;
}

function errorCount(errors: Map<string, ErrorTally>): number {
  return [...errors.values()].reduce((sum, tally) => sum + tally.count, 0);
}

/** One run: `users` virtual users against `server` for `seconds`, with both processes' CPU read around it. */
async function measure(server: Server, users: number, seconds: number, dbPid?: number): Promise<Measurement> {
  const cpuBefore = await server.cpuMilliseconds();
  const dbBefore = processCpuMilliseconds(dbPid);
  const load = await applyLoad(server.url, destination, users, seconds);
  const cpu = (await server.cpuMilliseconds()) - cpuBefore;
  const db = processCpuMilliseconds(dbPid) - dbBefore;
  const launches = load.latencies.length;
  const { p50, p99 } = latencySummary(load.latencies);
  return {
    launches,
    perSecond: launches / load.seconds,
    p50,
    p99,
    cpuPerLaunch: cpu / launches,
    dbPerLaunch: db / launches,
    errors: load.errors,
  };
}

function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The figures of one server in a row of the tables: [heading, width, digits, value]. */
const figures: [string, number, number, (m: Figures) => number][] = [
  ['launch/s', 9, 1, (m) => m.perSecond],
  ['p50 ms', 7, 0, (m) => m.p50],
  ['p99 ms', 7, 0, (m) => m.p99],
  ['cpu ms', 7, 1, (m) => m.cpuPerLaunch],
  ['db ms', 6, 1, (m) => m.dbPerLaunch],
];
type Figures = Omit<Measurement, 'errors' | 'launches'>;
const headings = figures.map(([heading, width]) => heading.padStart(width)).join(' ');
const serverWidth = headings.length;

function columns(m: Figures): string {
  return figures
    .map(([, width, digits, value]) => {
      const number = value(m);
      return (Number.isFinite(number) ? number.toFixed(digits) : '-').padStart(width);
    })
    .join(' ');
}

function printErrors(errors: Map<string, ErrorTally>, indent: string) {
  for (const [, tally] of errors) console.log(`${indent}${tally.count}× ${tally.first.slice(0, 300)}`);
}

const labelWidth = 30;

/** Three runs per server at `users`, interleaved (A B, B A, A B); each printed as it ends. */
async function measureLevel(users: number, pair: [Server, Server], dbPid?: number) {
  const runs = new Map<Server, Measurement[]>(pair.map((server) => [server, []]));
  for (let run = 0; run < runsPerLevel; run++) {
    for (const server of run % 2 ? [...pair].reverse() : pair) {
      const m = await measure(server, users, runSeconds, dbPid);
      runs.get(server)!.push(m);
      const label = `${users} users, run ${run + 1}, ${server.name}`.padEnd(labelWidth);
      console.log(`${label}${columns(m)} ${String(errorCount(m.errors)).padStart(7)}`);
      printErrors(m.errors, '    ');
    }
  }
  return runs;
}

/** Each figure's median over one server's runs at a level (each run's own p50/p99), and the runs' errors. */
function mediansOf(runs: Measurement[]): Figures & { errors: number } {
  const of = (pick: (m: Figures) => number) => median(runs.map(pick));
  return {
    perSecond: of((m) => m.perSecond),
    p50: of((m) => m.p50),
    p99: of((m) => m.p99),
    cpuPerLaunch: of((m) => m.cpuPerLaunch),
    dbPerLaunch: of((m) => m.dbPerLaunch),
    errors: runs.reduce((sum, m) => sum + errorCount(m.errors), 0),
  };
}

async function main() {
  const database = await startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(projectRoot, 'data', 'bench'),
    log: { info: () => undefined, warn: () => undefined },
  });
  console.log(
    `database: ${database.kind} (${database.uri}); ${runSeconds} s per run, ${runsPerLevel} runs per level and ` +
      `server; levels ${levels.join(', ')}; launches in ${values.frame ? 'an iframe' : 'their own window'}; ` +
      `target ratio ≥ ${targetRatio.toFixed(2)}`,
  );
  const servers: Server[] = [];
  try {
    const bare = await startServer('bare ltijs', 'bare-ltijs.server.ts', `${database.uri}bench_bare_ltijs`);
    servers.push(bare);
    const rounds = await startServer('Rounds', 'rounds.server.ts', `${database.uri}bench_rounds`);
    servers.push(rounds);
    let totalErrors = 0;
    // Warm-up until both run optimised code (JIT, keysets, connection pools): a server runs for days, not seconds.
    for (const server of [bare, rounds]) {
      const warmup = await applyLoad(server.url, destination, 4, warmupSeconds);
      totalErrors += errorCount(warmup.errors);
      if (warmup.errors.size) console.log(`warm-up, ${server.name}: ${errorCount(warmup.errors)} errors`);
      printErrors(warmup.errors, '    ');
    }
    console.log(`\n${'each run'.padEnd(labelWidth)}${headings}  errors`);
    const summary: string[] = [];
    const verdicts: string[] = [];
    let failed = false;
    let worstRatio = Infinity;
    for (const users of levels) {
      const runs = await measureLevel(users, [bare, rounds], database.pid);
      const b = mediansOf(runs.get(bare)!);
      const r = mediansOf(runs.get(rounds)!);
      const ratio = r.perSecond / b.perSecond;
      worstRatio = Math.min(worstRatio, ratio);
      const errors = b.errors + r.errors;
      totalErrors += errors;
      const pass = ratio >= targetRatio && errors === 0;
      failed ||= !pass;
      summary.push(
        `${String(users).padStart(5)} ${columns(b)}   ${columns(r)} ${ratio.toFixed(2).padStart(6)} ` +
          `${String(errors).padStart(7)}`,
      );
      verdicts.push(
        `${pass ? 'PASS' : 'FAIL'} ${users} users: Rounds/bare ltijs ${ratio.toFixed(2)}× ` +
          `(target ≥ ${targetRatio.toFixed(2)}), ${errors} errors`,
      );
    }
    console.log(`\nmedian of ${runsPerLevel} runs per level`);
    console.log(`${' '.repeat(6)}${'bare ltijs'.padEnd(serverWidth + 3)}Rounds`);
    console.log(`users ${headings}   ${headings}  ratio  errors`);
    for (const row of summary) console.log(row);
    console.log('');
    for (const verdict of verdicts) console.log(verdict);
    failed ||= totalErrors > 0;
    console.log(
      `${failed ? 'FAIL' : 'PASS'}: worst ratio ${worstRatio.toFixed(2)}× (target ≥ ${targetRatio.toFixed(2)}), ` +
        `${totalErrors} errors in all (warm-up included)`,
    );
    process.exitCode = failed ? 1 : 0;
  } finally {
    await Promise.all(servers.map(stopServer));
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
