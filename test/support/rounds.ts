import { loadConfig, type Config } from '../../src/config';
import { startRounds, type Rounds } from '../../src/runtime';
import { createLogger, type Logger } from '../../src/shared/logger';
import { testDatabaseUri } from './database';
import { useStarted } from './lifecycle';

export type RoundsOverrides = Partial<Record<keyof Config, unknown>>;

/** How a test's Rounds differs beyond its config values. */
export interface TestRoundsOptions {
  /** A logger of the test's own (to read what Rounds logs); the config's level otherwise. */
  logger?: Logger;
  /** The environment Rounds runs as after its config is loaded (to show production rules over plain HTTP). */
  env?: Config['env'];
}

/**
 * Starts a real Rounds for a test file: the file's own database on the run's test server, a free port on
 * 127.0.0.1, the sandbox LMS registered. Call `close()` in afterAll (or let useTestRounds do both).
 */
export async function startTestRounds(
  overrides: RoundsOverrides = {},
  options: TestRoundsOptions = {},
): Promise<Rounds> {
  const loaded = loadConfig({ port: 0, mongodbUri: testDatabaseUri(), ...overrides });
  const config = options.env ? { ...loaded, env: options.env } : loaded;
  return startRounds(config, options.logger ?? createLogger(config.logLevel));
}

/**
 * The usual start of a test file: a Rounds started before its tests (see startTestRounds) and closed after them,
 * as a stand-in that reads through to it (see useStarted). `overrides` may be a function, called in beforeAll,
 * for values known only once earlier hooks have run.
 */
export function useTestRounds(
  overrides: RoundsOverrides | (() => RoundsOverrides) = {},
  options: TestRoundsOptions = {},
): Rounds {
  return useStarted(
    'rounds',
    () => startTestRounds(typeof overrides === 'function' ? overrides() : overrides, options),
    (rounds) => rounds.close(),
  );
}
