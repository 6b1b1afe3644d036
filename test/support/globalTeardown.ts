import type { TestDatabaseGlobal } from './globalSetup';

/** Stops the server globalSetup started; nothing to do when the base URI came from outside. */
export default async function globalTeardown(): Promise<void> {
  const shared = globalThis as TestDatabaseGlobal;
  const database = shared.roundsTestDatabase;
  shared.roundsTestDatabase = undefined;
  if (!database) return;
  // Unset so that the next run in watch mode starts a fresh server instead of reusing this stopped one's address.
  delete process.env.ROUNDS_TEST_MONGODB_BASE_URI;
  await database.stop();
}
