import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { exportJWK, generateKeyPair, type KeyLike } from 'jose';
import mongoose from 'mongoose';
import pino from 'pino';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/sandbox';
import { configureViews } from '../../src/shared/http/views';
import { connectTestDatabase } from './database';
import { useStarted } from './lifecycle';

export interface SandboxHarness {
  url: string;
  sandbox: Sandbox;
  tool: SandboxOptions['tool'];
  /** The stub tool's signing key; its public half is served at `${url}/tool/jwks` with kid 'tool-1'. */
  toolKey: KeyLike;
  close(): Promise<void>;
}

/**
 * The sandbox LMS alone, on this file's database, facing a stub *tool*: a key pair whose public half is served
 * at /tool/jwks, so the sandbox fetches it over HTTP as it would fetch Rounds' /lti/keys. For testing the
 * platform itself; tests of Rounds use startTestRounds().
 */
export async function startSandboxWithStubTool(): Promise<SandboxHarness> {
  await connectTestDatabase();
  const { privateKey: toolKey } = await generateKeyPair('RS256');
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(toolKey);
  const toolPublicJwk = { ...publicJwk, kid: 'tool-1', alg: 'RS256', use: 'sig' };

  // The router is looked up per request: the sandbox needs the URL the server is bound to, known only later.
  const box: { sandbox?: Sandbox } = {};
  const app = express();
  configureViews(app, { cache: false });
  app.get('/tool/jwks', (_req, res) => res.json({ keys: [toolPublicJwk] }));
  app.use('/sandbox', (req, res, next) => box.sandbox!.router(req, res, next));
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const tool = {
    loginUrl: `${url}/tool/login`,
    launchUrl: `${url}/tool/launch`,
    deepLinkUrl: `${url}/tool/deeplink`,
    jwksUrl: `${url}/tool/jwks`,
  };
  const sandbox = await createSandbox({ publicUrl: url, logger: pino({ level: 'silent' }), tool });
  box.sandbox = sandbox;
  return {
    url,
    sandbox,
    tool,
    toolKey,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await mongoose.disconnect();
    },
  };
}

/** The sandbox LMS alone with its stub tool, started before the file's tests and closed after them. */
export function useSandboxHarness(): SandboxHarness {
  return useStarted('harness', startSandboxWithStubTool, (harness) => harness.close());
}
