import { createHash } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';

/** Every test database's name starts so; globalSetup drops them all before a run. */
export const testDatabasePrefix = 'rounds_test_';

const testRoot = path.resolve(__dirname, '..');

/**
 * The database name of one test file: readable (`rounds_test_lti_launch_login_3f2a9c1b`) and unique (a hash of the
 * whole path). At most 45 bytes, so a file may add a suffix of its own and stay under MongoDB's 64-byte limit.
 */
export function testDatabaseName(testPath: string): string {
  const relative = path.relative(testRoot, testPath).split(path.sep).join('/');
  const hash = createHash('sha256').update(relative).digest('hex').slice(0, 8);
  const readable = relative
    .replace(/^(unit|integration|e2e)\//, '')
    .replace(/(\.e2e)?\.test\.ts$/, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .slice(-24);
  return `${testDatabasePrefix}${readable}_${hash}`.replace(/__+/g, '_');
}

/**
 * This test file's own database on the run's test server, e.g. `mongodb://127.0.0.1:41234/rounds_test_…`.
 * One database per file lets files run in parallel and in any order without seeing each other's records.
 */
export function testDatabaseUri(suffix = ''): string {
  const base = process.env.ROUNDS_TEST_MONGODB_BASE_URI;
  if (!base) {
    throw new Error(
      'ROUNDS_TEST_MONGODB_BASE_URI is not set; run tests through jest, whose globalSetup sets it',
    );
  }
  const testPath = expect.getState().testPath;
  if (!testPath) throw new Error('testDatabaseUri() is for test files (jest knows no test path here)');
  // Keep any options (`?replicaSet=...`) after the database name, where a MongoDB URI expects them.
  const queryStart = base.indexOf('?');
  const hosts = queryStart === -1 ? base : base.slice(0, queryStart);
  const query = queryStart === -1 ? '' : base.slice(queryStart);
  return `${hosts.replace(/\/?$/, '/')}${testDatabaseName(testPath)}${suffix}${query}`;
}

/**
 * For test files that use Rounds' models without a running Rounds: mongoose connects to the file's own database
 * before its tests and disconnects after them.
 */
export function useTestDatabase(): void {
  beforeAll(connectTestDatabase);
  afterAll(async () => {
    await mongoose.disconnect();
  });
}

/**
 * Connects mongoose to this file's database and waits for every model's index builds, as startRounds does: on a
 * new database mongo-java-server fails a write that races them ("Unknown error: null").
 */
export async function connectTestDatabase(): Promise<void> {
  await mongoose.connect(testDatabaseUri());
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
}
