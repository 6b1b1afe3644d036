/**
 * The baseline for `npm run bench:launch`: a bare ltijs app, set up the way ltijs' README does, on the same database
 * server as Rounds, launched by the same sandbox LMS. It speaks the bench's protocol (./protocol.ts). ltijs is a dev
 * dependency for this file alone: Rounds' runtime does not use it (README, stack section).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Provider } from 'ltijs';
import mongoose from 'mongoose';
import { createSandbox } from '../../src/sandbox/sandbox';
import { configureViews } from '../../src/shared/http/views';
import { createLogger } from '../../src/shared/logger';
import { serveBenchProtocol } from './protocol';

async function main() {
  const databaseUri = process.argv[2]!;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  Provider.setup(
    'bench-only-encryption-key-0123456789abcdef',
    { url: databaseUri },
    {
      appRoute: '/launch',
      loginRoute: '/login',
      keysetRoute: '/keys',
      cookies: { secure: false, sameSite: 'Lax' },
    },
  );
  Provider.onConnect((token, _req, res) => {
    const info = token.userInfo as { given_name?: string };
    res.send(`<!doctype html><title>Home</title><h1>Welcome, ${info.given_name ?? ''}</h1>`);
  });
  await Provider.deploy({ serverless: true, silent: true });

  await mongoose.connect(databaseUri);
  const sandbox = await createSandbox({
    publicUrl: url,
    logger: createLogger('silent'),
    tool: {
      loginUrl: `${url}/lti/login`,
      launchUrl: `${url}/lti/launch`,
      deepLinkUrl: `${url}/lti/deeplink`,
      jwksUrl: `${url}/lti/keys`,
    },
  });
  const registration = sandbox.registration;
  await Provider.registerPlatform({
    url: registration.issuer,
    clientId: registration.clientId,
    name: registration.name,
    authenticationEndpoint: registration.authUrl,
    accesstokenEndpoint: registration.tokenUrl,
    authConfig: { method: 'JWK_SET', key: registration.jwksUrl },
  });

  const app = express();
  configureViews(app, { cache: true });
  app.use('/sandbox', sandbox.router);
  app.use('/lti', Provider.app);
  server.on('request', app);
  serveBenchProtocol(url, async () => undefined);
}

void main();
