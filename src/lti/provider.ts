import { Provider, type LtijsPlatform, type LtijsProvider } from 'ltijs';
import Auth from 'ltijs/dist/Utils/Auth';
import type { Express, NextFunction, Request, Response } from 'express';
import type { JWK } from 'jose';
import type { Config } from '../config';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { PlatformKeyCache } from './platformKeys';
import { LtiRefusal, refuse as refuseAndAudit } from './refusal';

/** Where ltijs leaves a validated launch for Rounds' own handler (see `mountLti`). */
export const launchTokenKey = 'ltiLaunch';

/** Refusal messages say what to tell the LMS administrator, never what the token contained. */
const refusals = {
  invalidToken:
    'This launch could not be verified. Please go back to your course and open Rounds again. If it keeps happening, tell your LMS administrator that Rounds refused the launch message.',
  unregistered:
    'This LMS is not registered with Rounds. Ask your LMS administrator to register Rounds as an LTI 1.3 tool.',
  inactive:
    'This LMS is registered with Rounds but not yet activated. Ask your Rounds administrator to activate it.',
  sessionEnded: 'Your Rounds session has ended. Please open Rounds again from your course.',
};

/** The ltijs provider, set up on Rounds' database, with its routes refusing through Rounds' error pages. */
export interface Lti {
  provider: LtijsProvider;
  /** The ltijs express app, to be mounted at /lti. */
  app: Express;
  /** Platforms' public keysets, cached (ltijs would fetch one on every launch). */
  platformKeys: PlatformKeyCache;
  /** Runs `next` (ltijs' handling of this request) with the platform key Rounds' check verified `idToken` with. */
  withVerifiedKey(idToken: string, jwk: JWK, res: Response, next: () => void): void;
  close(): Promise<void>;
}

/**
 * ltijs 5.9.9 fetches the platform's JWKS on every launch (Utils/Auth.js, `got.get(keysEndpoint)`). Rounds has
 * already verified the token with its cached keyset, so ltijs is handed that one key as the platform's `JWK_KEY`
 * auth config: Rounds' check files the key under the token it verified, and ltijs' `Auth.validateToken`, wrapped
 * here, gives the platform it looks up that key. The hand-over is keyed by the token rather than carried in
 * AsyncLocalStorage, whose promise hooks slowed every request (bench:launch). A token Rounds did not check finds
 * no key, and ltijs behaves as shipped.
 */
const verifiedKeys = new Map<string, JWK>();

function withKey(platform: LtijsPlatform, jwk: JWK): LtijsPlatform {
  return new Proxy(platform, {
    get(target, property) {
      if (property === 'platformAuthConfig') {
        return async (...args: unknown[]) =>
          args.length === 0
            ? { method: 'JWK_KEY', key: jwk }
            : target.platformAuthConfig(...(args as [string, unknown]));
      }
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

// ltijs is a process-wide singleton, so its validation is wrapped once, whatever number of apps mount it.
const validateToken = Auth.validateToken.bind(Auth);
Auth.validateToken = (token, devMode, parameters, getPlatform, encryptionKey, database) => {
  const jwk = verifiedKeys.get(token);
  const getVerifiedPlatform = async (...args: unknown[]) => {
    const platform = await getPlatform(...args);
    if (!jwk || !platform || Array.isArray(platform)) return platform;
    return withKey(platform as LtijsPlatform, jwk);
  };
  return validateToken(token, devMode, parameters, getVerifiedPlatform, encryptionKey, database);
};

const withVerifiedKey: Lti['withVerifiedKey'] = (idToken, jwk, res, next) => {
  verifiedKeys.set(idToken, jwk);
  // Filed only for this request: forgotten when its response ends, however ltijs got there.
  res.once('close', () => verifiedKeys.delete(idToken));
  next();
};

/**
 * ltijs builds its collections' indexes in the background once connected. On a new database, a write racing
 * that build can fail on mongo-java-server ("Unknown error: null", seen as `rounds platform add` failing about
 * one run in five), so Rounds waits for the build. ltijs keeps its own mongoose; its connection (`Database.db`)
 * holds the models it registered.
 */
async function ltijsIndexesBuilt(provider: LtijsProvider): Promise<void> {
  const connection = (provider as { Database?: { db?: { models?: Record<string, unknown> } } }).Database?.db;
  const models = Object.values(connection?.models ?? {}) as { init(): Promise<unknown> }[];
  await Promise.all(models.map((model) => model.init()));
}

/**
 * Sets up ltijs (the only place that imports it) in serverless mode on the given database. `ltiaas` mode makes
 * ltijs hand the validated launch to the next handler instead of redirecting with an `ltik` in the URL (which
 * would leak through Referer); Rounds then starts its own session.
 */
export async function startLti(options: {
  config: Config;
  databaseUri: string;
  logger: Logger;
}): Promise<Lti> {
  const { config, databaseUri, logger } = options;
  const secure = config.crossSiteCookies;
  const provider = Provider;
  provider.setup(
    config.ltiEncryptionKey,
    { url: databaseUri, connection: { serverSelectionTimeoutMS: config.databaseTimeoutSeconds * 1000 } },
    {
      appRoute: '/launch',
      loginRoute: '/login',
      keysetRoute: '/keys',
      dynRegRoute: '/register',
      ltiaas: true,
      cors: false,
      devMode: false,
      tokenMaxAge: config.ltiTokenMaxAgeSeconds,
      cookies: { secure, sameSite: secure ? 'None' : 'Lax' },
    },
  );

  const refuse = (status: 401 | 400, message: string, code: string) => {
    return async (req: Request, res: Response, next: NextFunction) => {
      const reason = (res.locals.err as { details?: { message?: string } } | undefined)?.details?.message;
      // A launch Rounds' own check passed but ltijs refused: audited like Rounds' refusals.
      if (code === 'lti_invalid_token' && (req.body as { id_token?: unknown } | undefined)?.id_token) {
        (req.log ?? logger).warn({ ltijsReason: reason }, 'ltijs refused a launch');
        return refuseAndAudit(req, next, new LtiRefusal('ltijs_refused'));
      }
      logger.warn({ path: req.originalUrl, code, reason }, 'LTI request refused');
      next(new AppError(message, status, code, true));
    };
  };
  provider.onInvalidToken(refuse(401, refusals.invalidToken, 'lti_invalid_token'));
  provider.onSessionTimeout(refuse(401, refusals.sessionEnded, 'lti_session_ended'));
  provider.onUnregisteredPlatform(refuse(400, refusals.unregistered, 'lti_unregistered_platform'));
  provider.onInactivePlatform(refuse(401, refusals.inactive, 'lti_inactive_platform'));
  const handOver = (token: Record<string, unknown>, _req: Request, res: Response, next: NextFunction) => {
    res.locals[launchTokenKey] = token;
    next();
  };
  provider.onConnect(handOver);
  provider.onDeepLinking(handOver);
  // Deep-linking requests arrive at /lti/deeplink (their registered redirect URI), which is not ltijs' appRoute.
  provider.app.post('/deeplink', (req, res, next) =>
    handOver(res.locals.token as Record<string, unknown>, req, res, next),
  );

  const listenersBefore = new Set(process.listeners('SIGINT'));
  await provider.deploy({ serverless: true, silent: true });
  // ltijs installs a SIGINT handler that calls process.exit(); Rounds shuts down itself (and its database).
  for (const listener of process.listeners('SIGINT')) {
    if (!listenersBefore.has(listener)) process.removeListener('SIGINT', listener);
  }
  await ltijsIndexesBuilt(provider);

  return {
    provider,
    app: provider.app,
    platformKeys: new PlatformKeyCache(),
    withVerifiedKey,
    close: async () => {
      await provider.close({ silent: true });
    },
  };
}
