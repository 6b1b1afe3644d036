/**
 * Rounds for `npm run bench:launch`, on the benchmark's database, with production's timings. It runs with
 * NODE_ENV=test only because production refuses the sandbox LMS and development writes secrets under data/; the
 * settings test.json changes for speed of the test suite are put back to config/default.json's values here.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, projectRoot } from '../../src/config';
import { startRounds } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import { serveBenchProtocol } from './protocol';

/** Read, not copied: the bench follows whatever production's defaults become. */
const productionDefaults = JSON.parse(
  readFileSync(path.join(projectRoot, 'config', 'default.json'), 'utf8'),
) as Record<string, unknown>;

/** Every launch of the bench comes from 127.0.0.1; production's per-address limits would refuse most of them. */
const unlimited = 1_000_000;

async function main() {
  const config = loadConfig({
    port: 0,
    mongodbUri: process.argv[2]!,
    logLevel: 'silent',
    // test.json polls the outbox every 50 ms, twenty idle queries a second that production does not make.
    outboxPollMilliseconds: productionDefaults.outboxPollMilliseconds,
    sweepIntervalSeconds: productionDefaults.sweepIntervalSeconds,
    loginRateLimitPerMinute: unlimited,
    registrationRateLimitPerHour: unlimited,
  });
  const rounds = await startRounds(config, createLogger('silent'));
  process.stdout.write(
    `INFO Rounds: NODE_ENV=${config.env}, outboxPollMilliseconds=${config.outboxPollMilliseconds}, ` +
      `sweepIntervalSeconds=${config.sweepIntervalSeconds} (config/default.json), ` +
      `loginRateLimitPerMinute=${config.loginRateLimitPerMinute}, ` +
      `registrationRateLimitPerHour=${config.registrationRateLimitPerHour}\n`,
  );
  serveBenchProtocol(rounds.url, () => rounds.close());
}

void main();
