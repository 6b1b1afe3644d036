import { loadConfig, type Config } from '../../src/config';
import { startRounds, type Rounds } from '../../src/runtime';
import { createLogger } from '../../src/shared/logger';
import { testDatabaseUri } from './database';

/**
 * Starts a real Rounds for a test file: the worker's own database on the shared test server, a free port on
 * 127.0.0.1, the sandbox LMS registered. Call `close()` in afterAll.
 */
export async function startTestRounds(
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Promise<Rounds> {
  const config = loadConfig({ port: 0, mongodbUri: testDatabaseUri(), ...overrides });
  return startRounds(config, createLogger(config.logLevel));
}
