/**
 * `npm run bench:export`: how fast Rounds streams a CME export, and in how much memory (issue 14: at least half
 * the rate of a raw database read of the same ledger entries; server peak RSS under 300 MB).
 *
 * Seeds (bench/export.seed.ts) one tenant's year of claims: `--claims` ledger claims (default 1,000,000) of
 * `--learners` learners (default 20,000) with reporting profiles, a handful of revocations and reissues. Then,
 * against Rounds in a process of its own (bench/servers/rounds.server.ts) on the same database server, with
 * CME_EXPORT_INLINE_MAX_ROWS above the ledger's size so every file streams in the response, a signed-in CME admin
 * (an LTI admin session) posts the export form, `POST /cme/admin/exports`, for two filters:
 * - a completion-date range of `--range-days` days (default 40: 100,000 claims),
 * - everything (no dates: 1,000,000 claims),
 * and for each the formats of `--formats` (default claims-csv and pars-csv). The bench counts the file's data rows
 * (CSV records after the header, quoted newlines understood) and bytes as they arrive, and samples the server
 * process's VmRSS from /proc every 50 ms (and its VmHWM, reset before each export where the kernel allows).
 * Before each export, in this process, a raw mongoose read of the same entries in the same order, lean, 1000 a
 * batch: the baseline the export's rate is compared with. Exits 1 when an export fails or a target is missed.
 *
 * Options (argv, after `--`): --claims N, --learners N, --range-days N, --formats a,b, --target-ratio (0.5),
 * --target-rss-mb (300), --server-node-options="<flags>" (Node flags for the Rounds process only, e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof"; by default the flags of `npm start`, so the server runs as deployed;
 * `--server-node-options=` with nothing runs it with Node's defaults).
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Request } from 'express';
import { parseArgs } from 'node:util';
import type { FilterQuery } from 'mongoose';
import { LedgerEntryModel, type LedgerEntry } from '../src/cme/core';
import { projectRoot } from '../src/config';
import type { ExportFormat } from '../src/cme/exports';
import { formatQueryOf } from '../src/cme/exports/export.filter';
import type { Actor } from '../src/shared/auth/actor';
import { startSession } from '../src/shared/auth/session.service';
import { csrfTokenFor } from '../src/shared/http/csrf';
import { sessionCookieName } from '../src/shared/http/session';
import { positive, timedRequest } from './benchHttp';
import { streamExport } from './exportHttp';
import { claimDays, seedExportData } from './export.seed';
import { residentMemory, resetPeakMemory, sampleMemory } from './procMemory';
import { withBenchRounds } from './serverProcess';

/** The Node flags `npm start` runs Rounds with (package.json; the Dockerfile's CMD repeats them). */
function productionNodeOptions(): string {
  const start = (
    JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      scripts: { start: string };
    }
  ).scripts.start;
  return start
    .split(/\s+/)
    .filter((word) => word.startsWith('--'))
    .join(' ');
}

const { values } = parseArgs({
  options: {
    claims: { type: 'string', default: '1000000' },
    learners: { type: 'string', default: '20000' },
    'range-days': { type: 'string', default: '40' },
    formats: { type: 'string', default: 'claims-csv,pars-csv' },
    'target-ratio': { type: 'string', default: '0.5' },
    'target-rss-mb': { type: 'string', default: '300' },
    'server-node-options': { type: 'string', default: productionNodeOptions() },
  },
});
const claims = positive('claims', values.claims!);
const learners = positive('learners', values.learners!);
const rangeDays = positive('range-days', values['range-days']!);
const formats = values.formats!.split(',').filter(Boolean);
const targetRatio = Number(values['target-ratio']);
const targetRssMb = positive('target-rss-mb', values['target-rss-mb']!);
const mb = (bytes: number) => bytes / 1024 / 1024;

// Every file streams in the response: the job mode (GridFS) is another measurement.
process.env.CME_EXPORT_INLINE_MAX_ROWS = String(2 * claims + 1000);
// Node flags for the Rounds child only (it inherits this process's environment; this process has started).
const serverNodeOptions = values['server-node-options']!;
if (serverNodeOptions)
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} ${serverNodeOptions}`.trim();

/** The raw read the export is measured against: the same entries, in the export's order, lean, 1000 a batch. */
async function rawRead(
  query: FilterQuery<LedgerEntry>,
): Promise<{ docs: number; ms: number; firstMs: number }> {
  const started = process.hrtime.bigint();
  let docs = 0;
  let firstMs = 0;
  const cursor = LedgerEntryModel.find(query)
    .sort({ completionDate: 1, number: 1 })
    .lean()
    .cursor({ batchSize: 1000 });
  for await (const entry of cursor) {
    if (!entry) continue;
    if (docs === 0) firstMs = Number(process.hrtime.bigint() - started) / 1e6;
    docs += 1;
  }
  return { docs, ms: Number(process.hrtime.bigint() - started) / 1e6, firstMs };
}

interface Measured {
  filter: string;
  format: string;
  rows: number;
  bytes: number;
  seconds: number;
  firstByteMs: number;
  rawDocs: number;
  rawSeconds: number;
  rawFirstMs: number;
  peakRss: number;
  hwm: number;
  before: number;
}

function printTable(results: Measured[], peakReset: boolean) {
  const columns: [string, number][] = [
    ['filter', 14],
    ['format', 11],
    ['rows', 9],
    ['MB', 7],
    ['s', 7],
    ['rows/s', 8],
    ['1st ms', 7],
    ['raw docs', 9],
    ['raw s', 7],
    ['1st ms', 7],
    ['docs/s', 8],
    ['ratio', 6],
    ['RSS0 MB', 8],
    ['peak MB', 8],
    ['HWM MB', 7],
  ];
  console.log(
    `\n${columns.map(([title, width], index) => (index < 2 ? title.padEnd(width) : title.padStart(width))).join(' ')}  verdict`,
  );
  let pass = true;
  for (const result of results) {
    const rate = result.rows / result.seconds;
    const rawRate = result.rawDocs / result.rawSeconds;
    const ratio = rate / rawRate;
    const verdicts = [
      ratio >= targetRatio ? '' : `ratio < ${targetRatio}`,
      mb(result.peakRss) < targetRssMb && mb(result.hwm) < targetRssMb ? '' : `RSS ≥ ${targetRssMb} MB`,
    ].filter(Boolean);
    if (verdicts.length) pass = false;
    const cells = [
      result.filter,
      result.format,
      String(result.rows),
      mb(result.bytes).toFixed(1),
      result.seconds.toFixed(2),
      rate.toFixed(0),
      result.firstByteMs.toFixed(0),
      String(result.rawDocs),
      result.rawSeconds.toFixed(2),
      result.rawFirstMs.toFixed(0),
      rawRate.toFixed(0),
      ratio.toFixed(2),
      mb(result.before).toFixed(0),
      mb(result.peakRss).toFixed(0),
      mb(result.hwm).toFixed(0),
    ];
    console.log(
      `${cells.map((cell, index) => (index < 2 ? cell.padEnd(columns[index]![1]) : cell.padStart(columns[index]![1]))).join(' ')}  ${verdicts.length ? `FAIL (${verdicts.join(', ')})` : 'PASS'}`,
    );
  }
  console.log(
    `\nrows/s: data rows of the file ÷ seconds from sending the form to the last byte (1st ms: to the first byte); ` +
      `docs/s: the raw lean cursor read of the same entries (same query and sort, batchSize 1000) in the bench ` +
      `process (1st ms: to its first document); ratio = rows/s ÷ docs/s. ` +
      `RSS0: the server's VmRSS before the export; peak: highest VmRSS sampled every 50 ms; HWM: VmHWM ` +
      `${peakReset ? '(reset before each export)' : '(since the server started: the kernel refused the reset)'}.`,
  );
  console.log(`targets: ratio ≥ ${targetRatio}, server peak RSS < ${targetRssMb} MB`);
  return pass;
}

async function main() {
  await withBenchRounds('bench_export', async ({ rounds, config, databaseKind }) => {
    const pid = rounds.process.pid!;
    const started = Date.now();
    let lastPrinted = 0;
    const seeded = await seedExportData({
      claims,
      learners,
      progress(done, total) {
        if (done !== total && Date.now() - lastPrinted < 5000) return;
        lastPrinted = Date.now();
        const seconds = (Date.now() - started) / 1000;
        console.log(
          `  seeding: ${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} claims (${seconds.toFixed(0)} s)`,
        );
      },
    });
    console.log(
      `server Node options: ${serverNodeOptions || '(none: Node defaults)'}; ` +
        `database: ${databaseKind}; ${seeded.claims.toLocaleString('en-US')} claims of ${learners.toLocaleString('en-US')} ` +
        `learners on ${claimDays} days (${seeded.claimsPerDay}/day), ${seeded.activityKeys.length} activities, ` +
        `${seeded.corrections} corrections; seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );

    const actor: Actor = {
      tenantId: seeded.tenantId,
      userId: seeded.adminUserId,
      courseId: seeded.courseId,
      role: 'admin',
      name: 'Bench CME Admin',
      courseTitle: 'CME office',
    };
    const token = await startSession(actor, { idleHours: 12, absoluteHours: 12 });
    const cookie = `${sessionCookieName(config)}=${token}`;
    const agent = new http.Agent({ keepAlive: false });
    const page = await timedRequest(agent, `${rounds.url}/cme/admin/exports`, { method: 'GET', cookie });
    const scraped = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (page.status !== 200 || !scraped)
      console.log(
        `note: GET /cme/admin/exports answered ${page.status} without a form token; using the session's`,
      );
    const csrf = scraped ?? csrfTokenFor({ sessionToken: token } as Request, config.sessionSecret);
    agent.destroy();

    // The range starts at the first of January, 3 months into the seeded year.
    const rangeStart = 92;
    const filters = [
      {
        label: `${(rangeDays * seeded.claimsPerDay).toLocaleString('en-US')} claims`,
        from: seeded.dateOf(rangeStart),
        to: seeded.dateOf(rangeStart + rangeDays - 1),
      },
      { label: `all`, from: '', to: '' },
    ];
    const peakReset = resetPeakMemory(pid);
    const results: Measured[] = [];
    const failures: string[] = [];
    for (const filter of filters) {
      for (const format of formats) {
        // The engine's own query for this file (filter, asOf, the format's credit type and kinds): the same
        // documents the export reads, so the two rates compare like with like.
        const query = await formatQueryOf(
          seeded.tenantId,
          { from: filter.from, to: filter.to, activity: '', creditType: '', profession: '' },
          new Date(),
          format as ExportFormat,
        );
        if (!query) throw new Error(`${format}: the filter selects nothing for this format`);
        const raw = await rawRead(query);
        resetPeakMemory(pid);
        const before = residentMemory(pid).rss;
        const sampling = sampleMemory(pid, 50);
        const streamed = await streamExport(rounds.url, cookie, {
          _csrf: csrf,
          from: filter.from,
          to: filter.to,
          activity: '',
          creditType: '',
          profession: '',
          format,
        });
        const memory = sampling.stop();
        if (streamed.status !== 200)
          failures.push(`${filter.label} ${format}: ${streamed.status} ${streamed.location ?? ''}`);
        console.log(
          `  ${filter.label} ${format}: ${streamed.status} ${streamed.contentType}, ${streamed.rows} rows, ` +
            `${mb(streamed.bytes).toFixed(1)} MB in ${(streamed.ms / 1000).toFixed(1)} s; raw read ${raw.docs} docs in ` +
            `${(raw.ms / 1000).toFixed(1)} s; ${memory.samples} RSS samples`,
        );
        results.push({
          filter: filter.label,
          format,
          rows: streamed.rows,
          bytes: streamed.bytes,
          seconds: streamed.ms / 1000,
          firstByteMs: streamed.firstByteMs,
          rawDocs: raw.docs,
          rawSeconds: raw.ms / 1000,
          rawFirstMs: raw.firstMs,
          peakRss: memory.peakRss,
          hwm: memory.hwm,
          before,
        });
      }
    }
    const pass = printTable(results, peakReset);
    for (const failure of failures) console.log(`  failed: ${failure}`);
    process.exitCode = pass && failures.length === 0 ? 0 : 1;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
