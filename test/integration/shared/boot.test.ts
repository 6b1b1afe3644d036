import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/config';
import { startEmbeddedDatabase } from '../../src/shared/db/embedded';

/** Runs `src/server.ts` as a real process with the given environment; resolves with its exit code and stderr. */
function bootWith(env: Record<string, string | undefined>, timeoutMs = 30_000) {
  return new Promise<{ code: number | null; stderr: string; elapsedMs: number }>((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'src/server.ts')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, elapsedMs: Date.now() - started });
    });
  });
}

const productionSecrets = {
  NODE_ENV: 'production',
  PUBLIC_URL: 'https://rounds.example.org',
  LTI_ENCRYPTION_KEY: 'x'.repeat(40),
  SESSION_SECRET: 'y'.repeat(40),
  MONGODB_URI: 'mongodb://127.0.0.1:1/rounds',
  PORT: '0',
};

describe('booting in production', () => {
  it.each(['MONGODB_URI', 'LTI_ENCRYPTION_KEY', 'SESSION_SECRET', 'PUBLIC_URL'])(
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
    // 10 s of server selection plus process and TypeScript start-up.
    expect(result.elapsedMs).toBeLessThan(20_000);
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
  const quiet = { info: () => undefined, warn: () => undefined };

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
    const database = await startEmbeddedDatabase({
      persistence: 'file',
      dataDir,
      log: quiet,
      prefer: 'mongo-java-server',
    });
    try {
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    } finally {
      await database.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
