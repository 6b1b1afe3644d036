import { projectRoot, loadConfig } from '../../../src/config';
import { startRounds, type Rounds } from '../../../src/runtime';
import { openDatabase } from '../../../src/shared/database';
import { createLogger } from '../../../src/shared/logger';
import { closedWithin, keepAliveClient, spawnServer } from '../../support/bootServer';
import { testDatabaseUri } from '../../support/database';

// Issue 9, "answers while it boots": the server listens first, so a request during boot (a load balancer's health
// check, a user's reload) must get 503 + Retry-After at once instead of hanging until the client gives up.

/** A boot of a real Rounds whose database start waits for `release()`; the database itself is the real one. */
function bootWithDatabaseHeldBack(databaseStart: 'succeeds' | 'fails') {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let reportUrl!: (url: string) => void;
  const listening = new Promise<string>((resolve) => (reportUrl = resolve));
  const config = loadConfig({ port: 0, mongodbUri: testDatabaseUri() });
  const booting = startRounds(config, createLogger('silent'), {
    // Called after the server listens: the config it gets carries the bound URL.
    openDatabase: async (bootConfig, logger) => {
      reportUrl(bootConfig.publicUrl);
      await held;
      if (databaseStart === 'fails') throw new Error('the database refused to start');
      return openDatabase(bootConfig, logger);
    },
  });
  // Rejections are asserted by the test that expects them; this keeps jest from reporting them early.
  booting.catch(() => undefined);
  boots.push({ release, booting });
  return { listening, release, booting };
}

const boots: { release(): void; booting: Promise<Rounds> }[] = [];

// Even when a test fails midway, its boot is let go and whatever it started is closed.
afterEach(async () => {
  for (const { release, booting } of boots.splice(0)) {
    release();
    await (await booting.catch(() => undefined))?.close();
  }
});

describe('Rounds while it boots', () => {
  it('when a request is sent while the database start is held back, then it gets 503 with Retry-After at once, and 200 once Rounds is ready', async () => {
    const boot = bootWithDatabaseHeldBack('succeeds');
    const url = await boot.listening;
    const client = keepAliveClient(url);
    try {
      const started = Date.now();
      const health = await client.get('/healthz');
      const page = await client.get('/sandbox/', 'text/html,application/xhtml+xml,*/*;q=0.8');
      const api = await client.get('/home', 'application/json');
      expect(Date.now() - started).toBeLessThan(1000);

      for (const answer of [health, page, api]) {
        expect(answer.status).toBe(503);
        expect(answer.headers['retry-after']).toBe('5');
        expect(answer.headers['cache-control']).toBe('no-store');
      }
      expect(JSON.parse(health.body)).toEqual({ status: 'starting' });
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.body).toContain('<h1>Rounds is starting</h1>');
      expect(JSON.parse(api.body)).toEqual({
        error: { code: 'starting', message: 'Rounds is starting. Please try again in a few seconds.' },
      });

      boot.release();
      await boot.booting;
      // The same connection, kept open across the boot, now reaches the app.
      const ready = await client.get('/healthz');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toEqual({ status: 'ok' });
      expect(ready.socket).toBe(health.socket);
      expect((await client.get('/sandbox/')).status).toBe(200);
    } finally {
      client.close();
    }
  });

  it('when the database start fails, then the connections opened during boot are closed and nothing listens any more', async () => {
    const boot = bootWithDatabaseHeldBack('fails');
    const url = await boot.listening;
    const client = keepAliveClient(url);
    try {
      const during = await client.get('/healthz');
      expect(during.status).toBe(503);

      boot.release();
      await expect(boot.booting).rejects.toThrow('the database refused to start');
      // Well before the server's 5 s keep-alive timeout would close an idle connection by itself.
      expect(await closedWithin(during.socket, 1000)).toBe(true);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow('fetch failed');
    } finally {
      client.close();
    }
  });

  it('when the real server cannot reach its database, then it answers 503 meanwhile, closes the connection and exits with 1', async () => {
    const server = spawnServer(projectRoot, {
      MONGODB_URI: 'mongodb://127.0.0.1:9/rounds',
      NODE_CONFIG: JSON.stringify({ databaseTimeoutSeconds: 2 }),
    });
    try {
      const { url } = await server.waitForLog('Rounds is starting');
      const client = keepAliveClient(url!);
      const during = await client.get('/healthz');
      expect(during.status).toBe(503);
      expect(JSON.parse(during.body)).toEqual({ status: 'starting' });

      expect(await server.exited).toBe(1);
      expect(server.stderr()).toContain(
        'Rounds cannot start: Cannot reach MongoDB at 127.0.0.1:9 within 2 s',
      );
      expect(await closedWithin(during.socket, 1000)).toBe(true);
      client.close();
    } finally {
      await server.stop();
    }
  });
});
