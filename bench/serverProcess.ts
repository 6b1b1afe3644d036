/**
 * A server of bench/servers/ running as a child process, spoken to over the line protocol of
 * bench/servers/protocol.ts: shared by the benchmarks so each measures a server in a process of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import { loadConfig, projectRoot, type Config } from '../src/config';
import { startEmbeddedDatabase } from '../src/shared/db/embedded';

export interface Server {
  name: string;
  url: string;
  process: ChildProcess;
  /** The server process's user+system CPU so far, in milliseconds, as it reports it (bench/servers/protocol.ts). */
  cpuMilliseconds(): Promise<number>;
}

/** Starts one of bench/servers/*.server.ts as a child and waits for its `READY <url>` line. */
export async function startServer(name: string, file: string, databaseUri: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(__dirname, 'servers', file), databaseUri],
    {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent' },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const cpuReplies: { resolve(milliseconds: number): void; reject(error: Error): void }[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const ready = /^READY (\S+)$/.exec(line);
      if (ready) resolve(ready[1]!);
      const cpu = /^CPU (\d+)$/.exec(line);
      if (cpu) cpuReplies.shift()?.resolve(Number(cpu[1]) / 1000);
      if (line.startsWith('INFO ')) console.log(line.slice(5));
    });
    child.once('exit', (code) => {
      const error = new Error(`${name} exited with ${code}`);
      reject(error);
      for (const reply of cpuReplies.splice(0)) reply.reject(error);
    });
  });
  const cpuMilliseconds = () =>
    new Promise<number>((resolve, reject) => {
      if (child.exitCode !== null) return reject(new Error(`${name} exited with ${child.exitCode}`));
      cpuReplies.push({ resolve, reject });
      child.stdin!.write('cpu\n');
    });
  return { name, url, process: child, cpuMilliseconds };
}

/** Closing its stdin asks a server to close and exit; one that has not within 10 s is killed. */
export function stopServer(server: Server): Promise<void> {
  const child = server.process;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin!.end();
  });
}

/** What a benchmark measures against: Rounds in its own process, and the database both it and the bench use. */
export interface BenchRounds {
  rounds: Server;
  /** The configuration the Rounds child runs with (NODE_ENV=test): its secrets sign and seal what the bench makes. */
  config: Config;
  databaseKind: string;
  databaseUri: string;
}

/**
 * Runs `measure` against Rounds in a process of its own (bench/servers/rounds.server.ts) on an in-memory embedded
 * database named `databaseName`, with this process's mongoose connected to it to seed through Rounds' models.
 * Rounds starts first: it builds the indexes and imports the bundled modules. Everything stops afterwards.
 */
export async function withBenchRounds(
  databaseName: string,
  measure: (bench: BenchRounds) => Promise<void>,
): Promise<void> {
  // The child runs as NODE_ENV=test; so does this process, so sessions, form tokens and sealed keys match.
  process.env.NODE_ENV = 'test';
  const config = loadConfig({ port: 0 });
  const database = await startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(projectRoot, 'data', 'bench'),
    log: { info: () => undefined, warn: () => undefined },
  });
  const databaseUri = `${database.uri}${databaseName}`;
  try {
    const rounds = await startServer('Rounds', 'rounds.server.ts', databaseUri);
    try {
      await mongoose.connect(databaseUri);
      await measure({ rounds, config, databaseKind: database.kind, databaseUri });
    } finally {
      await mongoose.disconnect();
      await stopServer(rounds);
    }
  } finally {
    await database.stop();
  }
}
