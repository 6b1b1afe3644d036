/**
 * A server of bench/servers/ running as a child process, spoken to over the line protocol of
 * bench/servers/protocol.ts: shared by the benchmarks so each measures a server in a process of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../src/config';

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
