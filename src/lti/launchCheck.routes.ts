import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Config } from '../config';
import { crossSiteCookieOptions } from '../shared/http/session';
import { checkLaunch, StorageSecretNeeded } from './launchCheck.service';
import { newWindowForm, stateCookieName, storageKey } from './login.routes';
import type { Lti } from './provider';
import { LtiRefusal, refuse } from './refusal';

/** Set on res.locals when the launch was bound through platform storage: the frame keeps no cookie. */
export const cookielessLaunchKey = 'ltiCookielessLaunch';

/** Set on res.locals to the registered platform the launch check matched, so the launch need not look it up again. */
export const checkedPlatformKey = 'ltiCheckedPlatform';

/** The form field a platform-storage launch page posts the secret back in. */
const storageSecretField = 'lti_storage_secret';

/**
 * Guards every POST under /lti that carries an id_token (the launch, deep linking, any path ltijs would
 * validate a token on) with Rounds' launch check, before ltijs sees it. ltijs parses urlencoded and JSON bodies,
 * so both are parsed here; `_body` then tells ltijs' body-parser 1.x that the body was read already.
 */
export function launchGuard(config: Config, lti: Lti): Router {
  const router = express.Router();
  router.post(
    /^\/lti\/(?!login(\/|$))/,
    express.urlencoded({ extended: false, limit: '200kb' }),
    express.json({ limit: '200kb' }),
    (req, _res, next) => {
      if (req.body !== undefined) (req as Request & { _body?: boolean })._body = true;
      next();
    },
    cookieParser(config.ltiEncryptionKey),
    async (req: Request, res: Response, next: NextFunction) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (body.id_token === undefined) return next();
      const state = typeof body.state === 'string' ? body.state : '';
      try {
        const checked = await checkLaunch(
          {
            idToken: body.id_token,
            state: body.state,
            stateCookie: req.signedCookies?.[stateCookieName(state)] as string | undefined,
            storageSecret: body[storageSecretField],
          },
          config,
          lti.platformKeys,
        );
        // ltijs checks the state cookie itself; a login bound through platform storage has none, so Rounds
        // supplies the value it verified in its place (ltijs reads req.signedCookies, parsed above).
        if (checked.boundByStorage) {
          req.signedCookies[stateCookieName(state)] = checked.platform.issuer;
          res.locals[cookielessLaunchKey] = true;
        }
        res.locals[checkedPlatformKey] = checked.platform;
        delete body[storageSecretField];
        const { maxAge: _unused, ...cookieOptions } = crossSiteCookieOptions(config, 0);
        res.clearCookie(stateCookieName(state), cookieOptions);
        lti.withVerifiedKey(body.id_token as string, checked.jwk, res, next);
      } catch (error) {
        if (error instanceof StorageSecretNeeded) {
          res.set('Cache-Control', 'no-store');
          res.render('lti/storage-launch', {
            title: 'Opening Rounds',
            storage: {
              target: error.loginState.storageTarget,
              origin: new URL(error.loginState.authRequestUrl).origin,
              key: storageKey(error.loginState.state),
            },
            launch: {
              action: req.originalUrl,
              idToken: body.id_token,
              state,
              secretField: storageSecretField,
            },
            newWindow: newWindowForm(error.loginState),
          });
          return;
        }
        if (error instanceof LtiRefusal) return refuse(req, next, error);
        throw error;
      }
    },
  );
  return router;
}
