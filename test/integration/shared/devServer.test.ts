import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { projectRoot } from '../../src/config';

const run = promisify(execFile);
let dataDir: string;

/** The environment `npm run dev` would have, with its own data folder and a free port. */
function devEnvironment() {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'development',
    PORT: '0',
    ROUNDS_DATA_DIR: dataDir,
  };
}

/** Starts `src/server.ts` as `npm run dev` does and resolves once it logs that it listens. */
async function startDevServer(): Promise<{ child: ChildProcess; url: string; databasePid: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/server.ts')], {
    cwd: projectRoot,
    env: devEnvironment(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let databasePid = 0;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('dev server did not start within 60 s')), 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string; databasePid?: number };
      if (entry.databasePid) databasePid = entry.databasePid;
      if (entry.msg === 'Rounds is listening' && entry.url) {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
    child.once('exit', (code) => reject(new Error(`dev server exited with ${code}`)));
  });
  return { child, url, databasePid };
}

async function stopWithCtrlC(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  return exited;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function rounds(...args: string[]) {
  const { stdout } = await run(process.execPath, [path.join(projectRoot, 'bin/rounds.js'), ...args], {
    cwd: projectRoot,
    env: devEnvironment(),
  });
  return stdout;
}

beforeAll(() => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rounds-dev-'));
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the development server', () => {
  it('when it runs, the CLI works on its database; Ctrl-C leaves no database process; a restart keeps the data', async () => {
    const first = await startDevServer();
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).toBe(200);

    // The CLI finds the running server's embedded database through data/embedded-db.json.
    expect(await rounds('platform', 'list')).toContain('Rounds Sandbox LMS');
    const sandbox = ['--issuer', `${first.url}/sandbox`, '--client-id', 'rounds-sandbox-client'];
    await rounds('deployment', 'add', ...sandbox, '--deployment-id', 'kept-across-restarts');

    expect(first.databasePid).toBeGreaterThan(0);
    expect(await stopWithCtrlC(first.child)).toBe(0);
    expect(isRunning(first.databasePid)).toBe(false);

    const second = await startDevServer();
    try {
      expect(await rounds('platform', 'list')).toContain('kept-across-restarts');
    } finally {
      await stopWithCtrlC(second.child);
    }
    expect(isRunning(second.databasePid)).toBe(false);
  });
});
