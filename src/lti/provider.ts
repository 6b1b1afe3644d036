import { Provider, type LtijsProvider } from 'ltijs';
import type { Express, NextFunction, Request, Response } from 'express';
import type { Config } from '../config';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';

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
  close(): Promise<void>;
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
  const secure = config.publicUrl.startsWith('https://');
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
      tokenMaxAge: 300,
      cookies: { secure, sameSite: secure ? 'None' : 'Lax' },
    },
  );

  const refuse = (status: 401 | 400, message: string, code: string) => {
    return (req: Request, res: Response, next: NextFunction) => {
      const reason = (res.locals.err as { details?: { message?: string } } | undefined)?.details?.message;
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

  const listenersBefore = new Set(process.listeners('SIGINT'));
  await provider.deploy({ serverless: true, silent: true });
  // ltijs installs a SIGINT handler that calls process.exit(); Rounds shuts down itself (and its database).
  for (const listener of process.listeners('SIGINT')) {
    if (!listenersBefore.has(listener)) process.removeListener('SIGINT', listener);
  }

  return {
    provider,
    app: provider.app,
    close: async () => {
      await provider.close({ silent: true });
    },
  };
}
