import { randomUUID } from 'node:crypto';
import path from 'node:path';
import cookieParser from 'cookie-parser';
import express, { type Express, type Router } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { outboxAdminRouter } from './admin/outbox.routes';
import { platformsAdminRouter } from './admin/platforms.routes';
import type { Config } from './config';
import { homeRouter } from './home/home.routes';
import { signOutRouter } from './home/signout.routes';
import { toolKeysRouter } from './lti/keys.routes';
import { mountLti } from './lti/lti.routes';
import { frameAncestorOrigins } from './lti/platform.service';
import type { Lti } from './lti/provider';
import { errorHandler, notFoundHandler } from './shared/http/errorHandler';
import { healthRouter } from './shared/http/health';
import { loadSession } from './shared/http/session';
import { configureViews, viewsDir } from './shared/http/views';
import type { Logger } from './shared/logger';
import { targetsRouter } from './targets/targets.routes';

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
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  configureViews(app, { cache: config.env !== 'development' });

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w-]{1,64}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(healthRouter());
  app.use(securityHeaders());
  app.use(
    '/static',
    express.static(path.join(viewsDir, 'static'), { maxAge: config.env === 'production' ? '1d' : 0 }),
  );

  // ltijs parses its own bodies and cookies; it must see the raw request first.
  app.use(toolKeysRouter());
  mountLti(app, lti, config);

  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use(express.json({ limit: '200kb' }));
  app.use(cookieParser());
  app.use(loadSession(config));
  app.use((_req, res, next) => {
    res.locals.sandboxEnabled = config.sandbox;
    next();
  });

  if (sandbox) app.use('/sandbox', sandbox);
  app.get('/', (req, res) => res.redirect(req.actor ? '/home' : config.sandbox ? '/sandbox' : '/about'));
  app.get('/about', (_req, res) => res.render('about', { title: 'About Rounds' }));
  app.use(homeRouter());
  app.use(signOutRouter(config));
  app.use(targetsRouter());
  app.use(platformsAdminRouter({ lti, config }));
  app.use(outboxAdminRouter({ config }));

  app.use(notFoundHandler);
  app.use(errorHandler({ showStack: config.env === 'development' }));
  return app;
}

/**
 * helmet with a strict CSP. Rounds runs inside LMS iframes, so instead of X-Frame-Options it sends
 * `frame-ancestors` listing the registered platforms' origins (looked up per request, cached for 30 s).
 */
function securityHeaders(): express.RequestHandler[] {
  const platformOrigins = (_req: unknown, res: unknown) =>
    ((res as express.Response).locals.platformOrigins as string[]).join(' ');
  return [
    async (_req, res, next) => {
      res.locals.platformOrigins = await frameAncestorOrigins().catch(() => []);
      next();
    },
    helmet({
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
    }),
  ];
}
