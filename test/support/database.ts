/**
 * This jest worker's own database on the shared test server, e.g. `mongodb://127.0.0.1:41234/rounds_test_2`.
 * One database per worker lets test files run in parallel without truncating each other's collections.
 */
export function testDatabaseUri(): string {
  const base = process.env.ROUNDS_TEST_MONGODB_BASE_URI;
  if (!base) {
    throw new Error(
      'ROUNDS_TEST_MONGODB_BASE_URI is not set; run tests through jest, whose globalSetup sets it',
    );
  }
  const databaseName = `rounds_test_${process.env.JEST_WORKER_ID ?? '1'}`;
  // Keep any options (`?replicaSet=...`) after the database name, where a MongoDB URI expects them.
  const queryStart = base.indexOf('?');
  const hosts = queryStart === -1 ? base : base.slice(0, queryStart);
  const query = queryStart === -1 ? '' : base.slice(queryStart);
  return `${hosts.replace(/\/?$/, '/')}${databaseName}${query}`;
}
