import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { MongoMemoryServer } from 'mongodb-memory-server-core';
import { ensurePrivateDataDir } from '../../config';

export type EmbeddedKind = 'mongod' | 'mongo-java-server' | 'mongodb-memory-server';

export interface EmbeddedDatabase {
  /** `mongodb://127.0.0.1:<port>/` with no database name; callers append theirs. */
  uri: string;
  kind: EmbeddedKind;
  /** The directory or file holding the data, or 'in-memory' when nothing outlives `stop()`. */
  dataLocation: string;
  /** The server's process id, for diagnostics and for tests that check it does not outlive Rounds. */
  pid?: number;
  /** Stops the server; for 'file' persistence everything written so far is on disk afterwards. Idempotent. */
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  persistence: 'file' | 'memory';
  /** Absolute; e.g. `<repo>/data`. Only used for 'file' persistence. */
  dataDir: string;
  log: { info(obj: object | string, msg?: string): void; warn(obj: object | string, msg?: string): void };
  /** Tests only: use this kind instead of the first one available, and fail if it cannot run here. */
  prefer?: EmbeddedKind;
  /** Tests only (mongo-java-server): bind this port instead of a free one, e.g. to restart a stopped server. */
  port?: number;
}

const readyTimeoutMs = 60_000;
const stopGraceMs = 5_000;
const stderrKeptChars = 8_000;

/** The first executable called `cmd` in PATH, like `command -v`. */
export function findOnPath(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not here; keep looking.
    }
  }
  return undefined;
}

/**
 * Starts a local MongoDB-compatible server for development and tests, in the order ARCHITECTURE.md gives: a
 * `mongod` on PATH, else mongo-java-server (needs Java and Maven), else mongodb-memory-server's download. It
 * registers nothing on `process`; the caller must call `stop()`, and if the caller dies first the server still exits.
 */
export async function startEmbeddedDatabase(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const kind = options.prefer ?? chooseKind();
  const startedAt = Date.now();
  const database =
    kind === 'mongo-java-server'
      ? await startMongoJavaServer(options)
      : await startMongoMemoryServer(kind, options);
  const where = database.dataLocation === 'in-memory' ? 'in memory' : `in ${database.dataLocation}`;
  options.log.info(
    {
      kind,
      dataLocation: database.dataLocation,
      uri: database.uri,
      databasePid: database.pid,
      startupMs: Date.now() - startedAt,
    },
    `embedded database started: ${kind}, data ${where}`,
  );
  return database;
}

function chooseKind(): EmbeddedKind {
  if (findOnPath('mongod')) return 'mongod';
  if (findOnPath('java') && findOnPath('mvn')) return 'mongo-java-server';
  return 'mongodb-memory-server';
}

/** The directory holding package.json: `tools/` and `scripts/` live there, not under `dist/`. */
function findRepoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

async function startMongoMemoryServer(
  kind: 'mongod' | 'mongodb-memory-server',
  options: EmbeddedOptions,
): Promise<EmbeddedDatabase> {
  const systemBinary = kind === 'mongod' ? findOnPath('mongod') : undefined;
  if (kind === 'mongod' && !systemBinary) throw new Error('mongod was requested but is not on PATH');
  const dbPath = options.persistence === 'file' ? path.join(options.dataDir, 'mongod') : undefined;
  if (dbPath) {
    ensurePrivateDataDir(options.dataDir);
    mkdirSync(dbPath, { recursive: true, mode: 0o700 });
  }
  const server = await MongoMemoryServer.create({
    binary: systemBinary ? { systemBinary } : undefined,
    instance: { ip: '127.0.0.1', dbPath, storageEngine: 'wiredTiger' },
  });
  let stopping: Promise<void> | undefined;
  return {
    uri: server.getUri(),
    kind,
    dataLocation: dbPath ?? 'in-memory',
    pid: server.instanceInfo?.instance.mongodProcess?.pid,
    // The default cleanup removes only the temporary dbPath it created itself, never dataDir/mongod.
    stop: () => (stopping ??= server.stop().then(() => undefined)),
  };
}

async function startMongoJavaServer(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const java = findOnPath('java');
  if (!java || !findOnPath('mvn')) {
    throw new Error('mongo-java-server needs java and mvn on PATH (Java 17+, Maven 3.8+)');
  }
  const root = findRepoRoot();
  const cacheDir = path.join(root, '.cache', 'mongo-java-server');
  const jarsDir = path.join(cacheDir, 'jars');
  if (!existsSync(path.join(jarsDir, '.resolved'))) {
    options.log.info({ jarsDir }, 'resolving mongo-java-server jars with Maven (first run only)');
  }
  await ensureMongoJavaServer(root);

  let dataLocation = 'in-memory';
  if (options.persistence === 'file') {
    ensurePrivateDataDir(options.dataDir);
    dataLocation = path.join(options.dataDir, 'rounds.h2.mv.db');
  }
  const args = [...launcherCommand(root, jarsDir, path.join(cacheDir, 'classes')), String(options.port ?? 0)];
  if (dataLocation !== 'in-memory') args.push(dataLocation);

  const child = spawn(java, args, {
    cwd: root,
    // Java stops when this stdin pipe closes, which the kernel does however Node dies (even SIGKILL), so the JVM
    // never outlives us. Its own process group keeps a terminal's Ctrl-C away from it: Node closes its
    // connections first, then calls stop().
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
  });
  // Ending stdin after the JVM has already gone raises EPIPE; that is the outcome we wanted, not an error.
  child.stdin?.on('error', () => undefined);
  const stderr = keepTail(child);
  const port = await waitForReady(child, stderr);

  forwardWarnings(child, options.log);
  let stopping: Promise<void> | undefined;
  // 'close' rather than 'exit': by then stderr has been read to the end, so the message shows why.
  child.once('close', (code, signal) => {
    if (!stopping)
      options.log.warn({ code, signal, stderr: stderr() }, 'mongo-java-server exited unexpectedly');
  });
  return {
    uri: `mongodb://127.0.0.1:${port}/`,
    kind: 'mongo-java-server',
    dataLocation,
    pid: child.pid,
    stop: () => (stopping ??= stopChild(child)),
  };
}

/** Runs scripts/ensure-mongo-java-server.sh: a few file checks once the jars are in .cache/. */
async function ensureMongoJavaServer(root: string): Promise<void> {
  const script = path.join(root, 'scripts', 'ensure-mongo-java-server.sh');
  try {
    await promisify(execFile)('bash', [script], { cwd: root, timeout: 10 * 60_000 });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`could not prepare mongo-java-server: ${stderr?.trim() || message}`);
  }
}

/** Prefers the Launcher.class the ensure script compiled (starts ~0.6 s sooner) over source-file mode. */
function launcherCommand(root: string, jarsDir: string, classesDir: string): string[] {
  const source = path.join(root, 'tools', 'mongo-java-server', 'Launcher.java');
  const compiled = path.join(classesDir, 'Launcher.class');
  const classpath = path.join(jarsDir, '*');
  if (existsSync(compiled) && statSync(compiled).mtimeMs > statSync(source).mtimeMs) {
    return ['-cp', `${classpath}${path.delimiter}${classesDir}`, 'Launcher'];
  }
  return ['-cp', classpath, source];
}

/** Collects the child's stderr, keeping the last few kilobytes for error messages. */
function keepTail(child: ChildProcess): () => string {
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-stderrKeptChars);
  });
  return () => tail.trim();
}

/** After startup the JVM's stderr carries only warnings (Launcher.java sets the levels); one log entry a line. */
function forwardWarnings(child: ChildProcess, log: EmbeddedOptions['log']): void {
  if (!child.stderr) return;
  createInterface({ input: child.stderr }).on('line', (line) => {
    // Stack frames alone say nothing in a log; the exception line before them does.
    if (/^\s+(at |\.\.\. \d+ more)/.test(line) || !line.trim()) return;
    // A known, documented gap (ARCHITECTURE.md): it accepts but ignores non-unique and TTL indexes.
    if (line.includes('adding secondary index')) return;
    log.warn({ stderr: line }, 'mongo-java-server');
  });
}

function waitForReady(child: ChildProcess, stderr: () => string): Promise<number> {
  const stdout = child.stdout;
  if (!stdout) return Promise.reject(new Error('mongo-java-server was spawned without a stdout pipe'));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: stdout });
    const fail = (reason: string) => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`mongo-java-server did not start: ${reason}${stderr() ? `\n${stderr()}` : ''}`));
    };
    const onLine = (line: string) => {
      const match = /^READY (\d+)$/.exec(line.trim());
      if (!match) return;
      cleanup();
      // Keep draining stdout so a chatty JVM can never block on a full pipe.
      stdout.resume();
      resolve(Number(match[1]));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`it exited (code ${code}, signal ${signal}) before reporting its port`);
    const onError = (error: Error) => fail(error.message);
    const timer = setTimeout(() => fail(`no READY line within ${readyTimeoutMs / 1000} s`), readyTimeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      lines.off('line', onLine);
      lines.close();
      child.off('close', onExit);
      child.off('error', onError);
    };
    lines.on('line', onLine);
    // 'close' rather than 'exit': by then stderr has been read to the end, so the message shows why.
    child.once('close', onExit);
    child.once('error', onError);
  });
}

/** Closes the JVM's stdin so it shuts down cleanly (H2 flushes and closes); SIGKILL if it takes too long. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), stopGraceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
  });
}
