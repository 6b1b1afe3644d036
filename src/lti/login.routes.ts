import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../config';
import { crossSiteCookieOptions } from '../shared/http/session';
import {
  bindLoginToStorage,
  findPendingLogin,
  loginLifetimeMs,
  readInitiation,
  startLogin,
} from './login.service';
import type { LoginState } from './loginState.model';
import { LtiRefusal, refuse } from './refusal';

/** ltijs validates a launch against the signed cookie `state<state>` holding the issuer; Rounds sets it here. */
export function stateCookieName(state: string): string {
  return `state${state}`;
}

/** Key under which the login's secret sits in the platform's storage (1EdTech Platform Storage, lti.put_data). */
export function storageKey(state: string): string {
  return `rounds_state_${state}`;
}

/** The same login, started again in a new window, where Rounds is first-party and its cookies work. */
export function newWindowForm(loginState: LoginState) {
  const initiation = { ...(loginState.initiation as Record<string, string>) };
  // The new window has no LMS frame around it to keep platform storage in.
  delete initiation.lti_storage_target;
  return {
    action: '/lti/login',
    fields: Object.entries(initiation).map(([name, value]) => ({ name, value })),
  };
}

function noStore(res: Response) {
  res.set('Cache-Control', 'no-store');
}

/**
 * OIDC login initiation (LTI 1.3 §5.1.1), handled by Rounds instead of ltijs so that unknown platforms, foreign
 * target_link_uri and unknown deployments are refused before anything is stored, and the nonce is bound to the
 * state. Unless the browser says it is a top-level window, the login then takes one hop through
 * /lti/login/continue, which sees whether the browser kept the state cookie: if it did, on to the LMS; if not (third-party cookies blocked in the LMS iframe), platform storage when
 * the LMS offers it, else a page that continues in a new window.
 */
export function loginRouter(config: Config): Router {
  const router = express.Router();
  // The secret signs the state cookie exactly as ltijs' cookie-parser expects to read it.
  router.use(
    '/lti/login',
    express.urlencoded({ extended: false, limit: '20kb' }),
    cookieParser(config.ltiEncryptionKey),
  );

  router.all('/lti/login', async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').end();
      return;
    }
    const initiation = readInitiation({ ...(req.query as object), ...((req.body ?? {}) as object) });
    let loginState: LoginState;
    try {
      loginState = await startLogin(initiation, config);
    } catch (error) {
      if (error instanceof LtiRefusal) return refuse(req, next, error);
      throw error;
    }
    noStore(res);
    res.cookie(stateCookieName(loginState.state), loginState.issuer, {
      ...crossSiteCookieOptions(config, loginLifetimeMs),
      signed: true,
    });
    // A top-level window (Fetch Metadata says so) keeps first-party cookies: no need to check it did.
    if (req.get('sec-fetch-dest') === 'document') {
      res.redirect(302, loginState.authRequestUrl);
      return;
    }
    res.redirect(302, `/lti/login/continue?state=${loginState.state}`);
  });

  router.get('/lti/login/continue', async (req: Request, res: Response) => {
    const loginState = await findPendingLogin(req.query.state);
    noStore(res);
    if (!loginState) {
      res.status(400).render('lti/login-expired', { title: 'Please open Rounds again' });
      return;
    }
    if (req.signedCookies?.[stateCookieName(loginState.state)] === loginState.issuer) {
      res.redirect(302, loginState.authRequestUrl);
      return;
    }
    req.log?.info(
      { issuer: loginState.issuer, storage: Boolean(loginState.storageTarget) },
      'LTI login without cookies',
    );
    const newWindow = newWindowForm(loginState);
    if (loginState.storageTarget) {
      res.render('lti/storage-login', {
        title: 'Opening Rounds',
        storage: {
          target: loginState.storageTarget,
          origin: new URL(loginState.authRequestUrl).origin,
          key: storageKey(loginState.state),
          value: await bindLoginToStorage(loginState.state),
          next: loginState.authRequestUrl,
        },
        newWindow,
      });
      return;
    }
    res.render('lti/cookies-blocked', { title: 'Open Rounds in a new window', newWindow });
  });

  return router;
}
