import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { outboxAdminRouter, platformsAdminRouter } from './admin';
import type { Config } from './config';
import { homeRouter, signOutRouter } from './home';
import { toolKeysRouter } from './lti/keys';
import { mountLti, type Lti } from './lti/lti.routes';
import { frameAncestorOrigins, frameAncestorOriginsForTenant } from './lti/registration';
import { errorHandler, notFoundHandler } from './shared/http/errorHandler';
import { healthRouter } from './shared/http/health';
import { requestLogger } from './shared/http/requestLog';
import { loadSession } from './shared/http/session';
import { configureViews, viewsDir } from './shared/http/views';
import type { Logger } from './shared/logger';
import { cmeRouters } from './cme';
import { cohortsRouters } from './cohorts';
import { targetsRouter } from './targets';
import { wellbeingRouters } from './wellbeing';
import { accountRouter, operatorRouter, signinRouter } from './accounts';

export interface AppDependencies {
  config: Config;
  logger: Logger;
  lti: Lti;
  /** The sandbox LMS router, mounted at /sandbox when the sandbox is on. */
  sandbox?: Router;
}

/** Builds the express app (no listen): security headers, logging, LTI, features, then the error handler. */
export function buildApp({ config, logger, lti, sandbox }: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // Pages are personal and never cached; an ETag (a hash of the body) would let anyone holding a log line or a
  // proxy's cache key tell one self-check result from another. Static files keep theirs (express.static's own).
  app.set('etag', false);
  app.set('trust proxy', config.trustProxy);
  configureViews(app, { cache: config.env !== 'development' });

  app.use(requestLogger(logger));
  app.use(healthRouter());
  const headers = securityHeaders();
  app.use(headers);
  // Browsers and LMS pages ask for /favicon.ico whatever the page links.
  app.get('/favicon.ico', (_req, res) =>
    res.sendFile('favicon.ico', { root: path.join(viewsDir, 'static'), maxAge: '1d' }),
  );
  app.use(
    '/static',
    express.static(path.join(viewsDir, 'static'), { maxAge: config.env === 'production' ? '1d' : 0 }),
  );
  // The secret signs and reads the OIDC login's state cookie (login.routes.ts).
  app.use(cookieParser(config.ltiEncryptionKey));
  const session = loadSession(config);
  app.use((req, res, next) => (needsNoSession(req) ? next() : session(req, res, next)));
  // A signed-in person's pages may be framed only by their own tenant's LMS: narrow the policy set above. An
  // account's pages only by the LMSs of the tenants it holds roles in; an operator's by none (Rounds itself
  // only): one click in a framed operator page could remove a platform.
  app.use(async (req, res, next) => {
    if (!req.actor && !req.account) return next();
    res.locals.platformOrigins = await frameOriginsFor(req).catch(() => []);
    headers(req, res, next);
  });

  app.use(toolKeysRouter());
  // Rounds' LTI endpoints parse their own bodies (each with its own limit) before the app's parsers.
  mountLti(app, lti, config);

  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use(express.json({ limit: '200kb' }));
  app.use((_req, res, next) => {
    res.locals.sandboxEnabled = config.sandbox;
    next();
  });

  if (sandbox) app.use('/sandbox', sandbox);
  app.get('/', (req, res) => res.redirect(req.actor ? '/home' : config.sandbox ? '/sandbox' : '/about'));
  app.get('/about', (_req, res) => res.render('about', { title: 'About Rounds' }));
  app.use(signinRouter({ config }));
  app.use(accountRouter({ config }));
  app.use(operatorRouter({ config }));
  app.use(homeRouter());
  app.use(signOutRouter(config));
  for (const router of wellbeingRouters({ config })) app.use(router);
  for (const router of cohortsRouters({ config })) app.use(router);
  for (const router of cmeRouters({ config })) app.use(router);
  app.use(targetsRouter());
  app.use(platformsAdminRouter({ config }));
  app.use(outboxAdminRouter({ config }));

  app.use(notFoundHandler);
  app.use(errorHandler({ showStack: config.env === 'development' }));
  return app;
}

/** The LMS origins that may frame this signed-in request's pages (see buildApp). */
async function frameOriginsFor(req: express.Request): Promise<string[]> {
  const grants = req.account?.grants ?? [];
  if (grants.some((grant) => grant.role === 'operator')) return [];
  const tenants = new Set(grants.flatMap((grant) => (grant.tenantId ? [grant.tenantId] : [])));
  if (req.actor) tenants.add(req.actor.tenantId);
  const origins = await Promise.all([...tenants].map((tenantId) => frameAncestorOriginsForTenant(tenantId)));
  return [...new Set(origins.flat())];
}

/**
 * Requests that never act as the signed-in person, so they skip the session read: the LMS's side of a launch
 * (login initiation, the id_token POST, which starts a new session whatever the cookie says, the keyset) and the
 * sandbox LMS, which stands for another site.
 */
function needsNoSession(req: express.Request): boolean {
  if (req.method === 'POST' && (req.path === '/lti/launch' || req.path === '/lti/deeplink')) return true;
  return /^\/(lti\/login|lti\/keys|sandbox)(\/|$)/.test(req.path);
}

/**
 * helmet with a strict CSP. Rounds runs inside LMS iframes, so instead of X-Frame-Options it sends
 * `frame-ancestors` (and `form-action`) listing LMS origins: those of active platforms until someone is signed
 * in, then only their own platform's (`res.locals.platformOrigins`, re-applied after the session loads).
 */
function securityHeaders(): express.RequestHandler {
  const platformOrigins = (_req: unknown, res: unknown) =>
    ((res as express.Response).locals.platformOrigins as string[]).join(' ');
  const helmetHeaders = helmet({
    frameguard: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: false,
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", platformOrigins],
        frameAncestors: ["'self'", platformOrigins],
        upgradeInsecureRequests: null,
      },
    },
  });
  return async (req, res, next) => {
    res.locals.platformOrigins ??= await frameAncestorOrigins().catch(() => []);
    helmetHeaders(req, res, next);
  };
}
