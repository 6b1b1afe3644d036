import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensurePrivateDataDir, type Config } from '../config';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './db/embedded';
import type { Logger } from './logger';

// Fail fast instead of queueing queries while the database is away: callers get a clear 503, not a hang.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);
// mongoose 8 captures a stack trace on every query only to improve one rare error ("Query was already executed");
// that costs a few per cent of a launch's CPU (measured with bench:launch), and our queries never run twice.
mongoose.set('skipOriginalStackTraces', true);

export interface Database {
  /** The URI with the database name. */
  uri: string;
  /** Set when Rounds started the database itself. */
  embedded?: EmbeddedDatabase;
  close(): Promise<void>;
}

const databaseName = 'rounds';

/** Where a running `npm run dev` records its embedded database, so the CLI can use the same one. */
export function embeddedAddressFile(config: Config): string {
  return path.join(config.dataDir, 'embedded-db.json');
}

/** Connects mongoose to `uri`, giving up with a clear message after the configured timeout. */
export async function connectMongoose(uri: string, config: Config): Promise<void> {
  const timeoutMs = config.databaseTimeoutSeconds * 1000;
  try {
    await mongoose.connect(uri, { serverSelectionTimeoutMS: timeoutMs, connectTimeoutMS: timeoutMs });
  } catch (error) {
    const where = safeHost(uri);
    throw new Error(
      `Cannot reach MongoDB at ${where} within ${config.databaseTimeoutSeconds} s: ${(error as Error).message}`,
    );
  }
}

/** host:port of a MongoDB URI without credentials, for messages and logs. */
export function safeHost(uri: string): string {
  try {
    const url = new URL(uri.replace(/^mongodb(\+srv)?:/, 'http:'));
    return url.host || 'the configured host';
  } catch {
    return 'the configured host';
  }
}

/**
 * Opens Rounds' database: MONGODB_URI when set; otherwise (never in production) an embedded server, chosen as
 * ARCHITECTURE.md says, whose address is recorded under data/ for the CLI while it runs.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.mongodbUri) {
    logger.info({ host: safeHost(config.mongodbUri) }, 'connecting to MongoDB from MONGODB_URI');
    await connectMongoose(config.mongodbUri, config);
    logger.info({ host: safeHost(config.mongodbUri) }, 'connected to MongoDB from MONGODB_URI');
    return { uri: config.mongodbUri, close: () => mongoose.disconnect() };
  }
  if (config.env === 'production') throw new Error('MONGODB_URI is required in production');
  const embedded = await startEmbeddedDatabase({
    persistence: config.env === 'test' ? 'memory' : 'file',
    dataDir: config.dataDir,
    log: logger,
  });
  const uri = embedded.uri.replace(/\/?$/, '/') + databaseName;
  const addressFile = embeddedAddressFile(config);
  try {
    await connectMongoose(uri, config);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  ensurePrivateDataDir(config.dataDir);
  writeFileSync(addressFile, JSON.stringify({ uri, kind: embedded.kind, pid: process.pid }) + '\n');
  return {
    uri,
    embedded,
    close: async () => {
      await mongoose.disconnect().catch(() => undefined);
      rmSync(addressFile, { force: true });
      await embedded.stop();
    },
  };
}

/** The database of a running `npm run dev`, if one is recorded and its process is alive. */
export function runningEmbeddedDatabase(config: Config): string | undefined {
  const file = embeddedAddressFile(config);
  if (!existsSync(file)) return undefined;
  try {
    const { uri, pid } = JSON.parse(readFileSync(file, 'utf8')) as { uri: string; pid: number };
    process.kill(pid, 0);
    return uri;
  } catch {
    return undefined;
  }
}
