import path from 'node:path';
import request from 'supertest';
import { projectRoot } from '../../src/config';
import type { Rounds } from '../../src/runtime';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/shared/db/embedded';
import { startTestRounds } from '../support/rounds';

const quiet = { info: () => undefined, warn: () => undefined };

/** A database server of this test's own, so stopping it does not disturb other test files. */
function startOwnDatabase(port?: number): Promise<EmbeddedDatabase> {
  return startEmbeddedDatabase({
    persistence: 'memory',
    dataDir: path.join(projectRoot, 'data', 'test'),
    log: quiet,
    prefer: 'mongo-java-server',
    port,
  });
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

let database: EmbeddedDatabase;
let rounds: Rounds;

beforeAll(async () => {
  database = await startOwnDatabase();
  rounds = await startTestRounds({ mongodbUri: `${database.uri}rounds_health` });
});

afterAll(async () => {
  await rounds?.close();
  await database?.stop();
});

describe('health endpoints', () => {
  it('when Rounds is up, then /healthz and /readyz answer 200', async () => {
    await request(rounds.url).get('/healthz').expect(200, { status: 'ok' });
    await request(rounds.url).get('/readyz').expect(200);
  });

  it('when the database stops, then /readyz answers 503 while /healthz stays 200, and 200 again once it is back', async () => {
    const port = Number(new URL(database.uri).port);
    await database.stop();

    const readyWhileDown = await request(rounds.url).get('/readyz');
    expect(readyWhileDown.status).toBe(503);
    expect(readyWhileDown.body).toEqual({ status: 'unavailable', database: 'down' });
    await request(rounds.url).get('/healthz').expect(200);

    database = await startOwnDatabase(port);
    const recovered = await eventually(
      async () => (await request(rounds.url).get('/readyz')).status === 200,
      30_000,
    );
    expect(recovered).toBe(true);
  });
});

describe('error pages', () => {
  it('when a page does not exist, then a browser gets an HTML 404 page with a request reference', async () => {
    const response = await request(rounds.url).get('/no-such-page').set('Accept', 'text/html').expect(404);
    expect(response.text).toContain('<h1 id="error-title">Page not found</h1>');
    expect(response.text).toContain(response.headers['x-request-id']);
  });

  it('when a client asks for JSON, then errors come as {error:{code,message}}', async () => {
    const response = await request(rounds.url)
      .get('/no-such-page')
      .set('Accept', 'application/json')
      .expect(404);
    expect(response.body.error).toMatchObject({ code: 'not_found', message: 'We could not find that page.' });
  });

  it('when any page is served, then it carries a CSP limiting who may frame it, and no Referer leaves it', async () => {
    const response = await request(rounds.url).get('/about').expect(200);
    expect(response.headers['content-security-policy']).toMatch(/frame-ancestors 'self'/);
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBeUndefined();
  });
});
