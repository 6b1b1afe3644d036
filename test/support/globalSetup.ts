import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/db/embedded';
import { testDatabasePrefix } from './database';

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
 * One database server for the whole run; each test file gets its own database on it (see ./database.ts), so files
 * run in parallel. Workers inherit process.env from this process, which is how they learn the address.
 */
export default async function globalSetup(): Promise<void> {
  // A base URI set from outside (say, a CI service or a developer's persistent MongoDB) wins over starting our own.
  if (process.env.ROUNDS_TEST_MONGODB_BASE_URI) {
    await dropTestDatabases(process.env.ROUNDS_TEST_MONGODB_BASE_URI);
    return;
  }
  const repoRoot = path.resolve(__dirname, '..', '..');
  const database = await startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(repoRoot, 'data', 'test'),
    log,
  });
  (globalThis as TestDatabaseGlobal).roundsTestDatabase = database;
  process.env.ROUNDS_TEST_MONGODB_BASE_URI = database.uri;
}

/**
 * Drops every `rounds_test_*` database a previous run left on a persistent server, so each file starts empty:
 * a test never sees the records of an earlier run (nor of a run that stopped halfway).
 */
async function dropTestDatabases(baseUri: string): Promise<void> {
  const client = await new mongoose.mongo.MongoClient(baseUri, {
    serverSelectionTimeoutMS: 10_000,
  }).connect();
  try {
    const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
    const left = databases
      .map((database) => database.name)
      .filter((name) => name.startsWith(testDatabasePrefix));
    await Promise.all(left.map((name) => client.db(name).dropDatabase()));
    if (left.length > 0) log.info(`dropped ${left.length} test databases of an earlier run`);
  } finally {
    await client.close();
  }
}
