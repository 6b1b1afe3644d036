import path from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/db/embedded';

/** Where globalTeardown, which runs in this same (parent) process, finds the server to stop. */
export type TestDatabaseGlobal = typeof globalThis & { roundsTestDatabase?: EmbeddedDatabase };

// Only problems and the one "which server" line, so jest's own output stays readable.
const log = {
  info: (obj: object | string, msg?: string) =>
    process.stderr.write(`[test database] ${msg ?? String(obj)}\n`),
  warn: (obj: object | string, msg?: string) =>
    process.stderr.write(
      `[test database] ${msg ?? ''} ${typeof obj === 'string' ? obj : JSON.stringify(obj)}\n`,
    ),
};

/**
 * One database server for the whole run; each worker gets its own database on it (see ./database.ts), so test files
 * run in parallel. Workers inherit process.env from this process, which is how they learn the address.
 */
export default async function globalSetup(): Promise<void> {
  // A base URI set from outside (say, a CI service running real MongoDB) wins over starting our own.
  if (process.env.ROUNDS_TEST_MONGODB_BASE_URI) return;
  const repoRoot = path.resolve(__dirname, '..', '..');
  const database = await startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(repoRoot, 'data', 'test'),
    log,
  });
  (globalThis as TestDatabaseGlobal).roundsTestDatabase = database;
  process.env.ROUNDS_TEST_MONGODB_BASE_URI = database.uri;
}
