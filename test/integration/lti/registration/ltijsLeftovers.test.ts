import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import pino from 'pino';
import { dropLtijsLeftovers } from '../../../../src/lti/registration/ltijsLeftovers.service';
import type { Logger } from '../../../../src/shared/logger';
import { startTestRounds, testDatabaseUri } from '../../../support';

// A database from the days when ltijs ran inside Rounds still holds ltijs' collections; Rounds drops them at boot,
// once, and says so once.

/** Boots Rounds on the file's database with a logger whose lines the test reads, then stops it. */
async function bootAndReadLog(): Promise<string> {
  let log = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      log += chunk.toString();
      done();
    },
  });
  const rounds = await startTestRounds({ logLevel: 'info' }, { logger: pino({ level: 'info' }, sink) });
  // Models create their collections and indexes in the background once connected; let them finish first.
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  await rounds.close();
  return log;
}

/** Runs `work` on its own connection to the file's database (Rounds' close disconnects every connection). */
async function withDatabase<T>(work: (db: mongoose.mongo.Db) => Promise<T>): Promise<T> {
  const connection = await mongoose.createConnection(testDatabaseUri()).asPromise();
  try {
    return await work(connection.db!);
  } finally {
    await connection.close();
  }
}

it('when Rounds boots on a database with ltijs’ collections, then it drops them and logs it once; run again, the step finds nothing and says nothing', async () => {
  await withDatabase(async (db) => {
    await db.collection('platforms').insertOne({ platformUrl: 'https://old.lms.example' });
    await db.collection('nonces').insertOne({ nonce: 'n' });
    await db.collection('idtokens').insertOne({ iss: 'https://old.lms.example' });
  });

  const firstLog = await bootAndReadLog();
  const dropped = firstLog.split('\n').filter((line) => line.includes("dropped ltijs' collections"));
  expect(dropped).toHaveLength(1);
  for (const name of ['platforms', 'nonces', 'idtokens']) expect(dropped[0]).toContain(`"${name}"`);
  const names = await withDatabase(async (db) =>
    (await db.listCollections().toArray()).map((collection) => collection.name),
  );
  expect(names).toEqual(expect.arrayContaining(['lmsplatforms']));
  expect(names.filter((name) => ['platforms', 'nonces', 'idtokens'].includes(name))).toEqual([]);

  // The step is idempotent: run again on the same database, it finds nothing and says nothing.
  const logged: unknown[] = [];
  const quiet = { info: (...args: unknown[]) => logged.push(args) } as unknown as Logger;
  expect(await withDatabase((db) => dropLtijsLeftovers(db, quiet))).toEqual([]);
  expect(logged).toEqual([]);
});
