import request from 'supertest';
import type { EmbeddedDatabase } from '../../../src/shared/db/embedded';
import { useTestRounds, waitFor } from '../../support';
import { jvmTimeoutMs, startOwnDatabaseServer } from '../../support/processes';

// A database server of this file's own (a JVM), so stopping it does not disturb other test files.
jest.setTimeout(jvmTimeoutMs);
let database: EmbeddedDatabase;

beforeAll(async () => {
  database = await startOwnDatabaseServer();
});

const rounds = useTestRounds(() => ({ mongodbUri: `${database.uri}rounds_health` }));

afterAll(async () => {
  // After Rounds has closed (hooks run in the order they were declared).
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

    database = await startOwnDatabaseServer({ port });
    const recovered = await waitFor(
      '/readyz to answer 200 again',
      async () => (await request(rounds.url).get('/readyz')).status === 200,
      { timeoutMs: 30_000, intervalMs: 250 },
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
