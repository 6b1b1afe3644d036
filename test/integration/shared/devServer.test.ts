import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../src/config';
import { isRunning } from '../../support';
import { spawnServer, type ServerProcess } from '../../support/bootServer';
import { jvmTimeoutMs, runCli } from '../../support/processes';

// `npm run dev` on a fresh clone: an embedded mongo-java-server (a JVM) of its own, data kept under data/.
jest.setTimeout(jvmTimeoutMs);
let dataDir: string;

/** The environment `npm run dev` would have, with its own data folder and a free port. */
const devEnvironment = () => ({ NODE_ENV: 'development', ROUNDS_DATA_DIR: dataDir });

/** A running dev server: its process, its URL and the process id of its embedded database. */
interface DevServer {
  process: ServerProcess;
  url: string;
  databasePid: number;
}

/** Starts `src/server.ts` as `npm run dev` does and resolves once it listens. */
async function startDevServer(): Promise<DevServer> {
  const server = spawnServer(projectRoot, devEnvironment());
  const database = await server.waitForLog('embedded database started', jvmTimeoutMs);
  const listening = await server.waitForLog('Rounds is listening', jvmTimeoutMs);
  return { process: server, url: listening.url!, databasePid: Number(database.databasePid) };
}

/** `rounds <args>` as a developer runs it beside the dev server (it finds the server's database itself). */
async function rounds(...args: string[]) {
  const result = await runCli(args, { ...devEnvironment(), MONGODB_URI: undefined });
  if (result.code !== 0) throw new Error(`rounds ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

let first: DevServer;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'rounds-dev-'));
  first = await startDevServer();
  const sandbox = ['--issuer', `${first.url}/sandbox`, '--client-id', 'rounds-sandbox-client'];
  await rounds('deployment', 'add', ...sandbox, '--deployment-id', 'kept-across-restarts');
});

afterAll(async () => {
  await first?.process.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the development server', () => {
  it('when it runs, then it answers /healthz and the CLI works on its database (found through data/)', async () => {
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
    const listed = await rounds('platform', 'list');
    expect(listed).toContain('Rounds Sandbox LMS');
    expect(listed).toContain('kept-across-restarts');
  });

  it('when it is stopped with Ctrl-C, then it exits 0 and leaves no database process behind', async () => {
    expect(first.databasePid).toBeGreaterThan(0);
    expect(await first.process.stop()).toBe(0);
    expect(isRunning(first.databasePid)).toBe(false);
  });

  it('when it starts again on the same data folder, then what the CLI added is still there', async () => {
    await first.process.stop();
    const second = await startDevServer();
    try {
      expect(await rounds('platform', 'list')).toContain('kept-across-restarts');
    } finally {
      await second.process.stop();
    }
    expect(isRunning(second.databasePid)).toBe(false);
  });
});
