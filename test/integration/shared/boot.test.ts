import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../../src/config';
import { spawnServer, type ServerProcess } from '../../support/bootServer';
import { jvmTimeoutMs, startOwnDatabaseServer } from '../../support/processes';

// Each test starts a server process (TypeScript compiled at start) or a mongo-java-server JVM.
jest.setTimeout(jvmTimeoutMs);

const servers: ServerProcess[] = [];

afterEach(async () => {
  // A server that did not stop as the test expected is stopped here, never left running.
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** Runs `src/server.ts` as a real process with the given environment; resolves once it exits. */
async function bootWith(env: Record<string, string | undefined>) {
  const started = Date.now();
  const server = spawnServer(projectRoot, env);
  servers.push(server);
  const connecting = server.waitForLog('connecting to MongoDB').catch(() => undefined);
  const code = await server.exited;
  const exitedAt = Date.now();
  return {
    code,
    stderr: server.stderr(),
    elapsedMs: exitedAt - started,
    exitedAt,
    connecting: await connecting,
  };
}

const productionSecrets = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://rounds.example.org',
  LTI_ENCRYPTION_KEY: 'x'.repeat(40),
  SESSION_SECRET: 'y'.repeat(40),
  WELLBEING_KEY: 'z'.repeat(40),
  MONGODB_URI: 'mongodb://127.0.0.1:1/rounds',
  PORT: '0',
};

describe('booting in production', () => {
  it.each(['MONGODB_URI', 'LTI_ENCRYPTION_KEY', 'SESSION_SECRET', 'WELLBEING_KEY', 'PUBLIC_URL'])(
    'when %s is missing, then boot stops with exit code 1 and a one-line message naming it',
    async (variable) => {
      const result = await bootWith({ ...productionSecrets, [variable]: undefined });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(`Rounds cannot start: ${variable} is required in production`);
    },
  );

  it('when SANDBOX is switched on, then boot is refused', async () => {
    const result = await bootWith({ ...productionSecrets, SANDBOX: 'true' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SANDBOX cannot be enabled in production');
  });

  it('when MONGODB_URI cannot be reached, then boot fails with a clear message within 10 s', async () => {
    const result = await bootWith({ ...productionSecrets, MONGODB_URI: 'mongodb://127.0.0.1:9/rounds' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach MongoDB at 127.0.0.1:9 within 10 s');
    // From the first connection attempt to the exit: 10 s of server selection, with 5 s to spare for shutting
    // down. Process and TypeScript start-up come before it and depend on how loaded the machine is.
    const waited = result.exitedAt - (result.connecting!.time as number);
    expect(waited).toBeGreaterThan(9_000);
    expect(waited).toBeLessThan(15_000);
  });
});

describe('booting outside the three known environments', () => {
  it('when NODE_ENV is staging, then boot stops with exit code 1 and a message naming NODE_ENV (no sandbox, no dev mode)', async () => {
    const result = await bootWith({ NODE_ENV: 'staging', PORT: '0' });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      'Rounds cannot start: NODE_ENV is invalid: "staging" is not one of development, test, production',
    );
  });
});

describe('the embedded database keeping its files under the data folder', () => {
  it.each([
    ['does not exist yet', false],
    ['exists readable by everyone (0755)', true],
  ])('when the folder %s, then it is 0700 once the database has started', async (_name, existing) => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'rounds-data-'));
    const dataDir = path.join(scratch, 'data');
    if (existing) {
      mkdirSync(dataDir);
      chmodSync(dataDir, 0o755);
    }
    const database = await startOwnDatabaseServer({ persistence: 'file', dataDir });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await database.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
