import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** One line of the server's pino log (JSON on stdout when it is not a terminal). */
export interface LogEntry {
  msg?: string;
  url?: string;
  [key: string]: unknown;
}

/** A real `src/server.ts` process, as `npm run dev` starts it (node + tsx), with its log and exit observed. */
export interface ServerProcess {
  child: ChildProcess;
  /** Everything written to stderr so far (boot failures land there). */
  stderr(): string;
  /** Resolves with the first log entry whose `msg` starts with `message`; rejects if the process exits first. */
  waitForLog(message: string, timeoutMs?: number): Promise<LogEntry>;
  /** The exit code once the process has ended (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Ctrl-C, then SIGKILL if it has not exited within 15 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `<root>/src/server.ts` with `root` as working folder (config/, views/, data/ are found from there), on a
 * free port of 127.0.0.1 with an info-level JSON log. `env` adds to or overrides that environment.
 */
export function spawnServer(root: string, env: Record<string, string | undefined>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'server.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const entries: LogEntry[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      entries.push(JSON.parse(line) as LogEntry);
    } catch {
      entries.push({ msg: line });
    }
    for (const wake of waiters) wake();
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));

  const waitForLog = (message: string, timeoutMs = 60_000) =>
    new Promise<LogEntry>((resolve, reject) => {
      const check = () => {
        const found = entries.find((entry) => entry.msg?.startsWith(message));
        if (found) finish(() => resolve(found));
      };
      const finish = (then: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        then();
      };
      const timer = setTimeout(
        () =>
          finish(() => reject(new Error(`no "${message}" log within ${timeoutMs} ms; stderr: ${stderr}`))),
        timeoutMs,
      );
      waiters.add(check);
      void exited.then((code) =>
        finish(() => reject(new Error(`server exited (${code}) before "${message}"; stderr: ${stderr}`))),
      );
      check();
    });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    return exited;
  };
  return { child, stderr: () => stderr, waitForLog, exited, stop };
}

/** One answer read by `keepAliveClient`, with the connection it came on. */
export interface ClientAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  socket: Socket;
}

/**
 * A client that keeps one connection open across requests, as a load balancer or a browser does, and gives up on
 * an answer after `timeoutMs` (so a hang fails the test instead of stalling it).
 */
export function keepAliveClient(url: string, timeoutMs = 2000) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const get = (requestPath: string, accept = '*/*') =>
    new Promise<ClientAnswer>((resolve, reject) => {
      const started = Date.now();
      const req = httpGet(new URL(requestPath, url), { agent, headers: { accept } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body, socket: req.socket! }),
        );
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(new Error(`no answer to ${requestPath} within ${Date.now() - started} ms`)),
      );
      req.on('error', reject);
    });
  return { get, close: () => agent.destroy() };
}

/** Resolves true once `socket` is closed (by the other side), false if it is still open after `timeoutMs`. */
export function closedWithin(socket: Socket, timeoutMs: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
