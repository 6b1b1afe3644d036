import express, { type Request, type Response, type Router } from 'express';
import type { Config } from '../../config';
import { signIn, crossSiteCookieOptions } from '../../shared/http/session';
import { landingPathFor, launchTargetOf, rememberDeepLinkRequest } from '../deeplink';
import { createHandoff } from './handoff.service';
import { checkLaunch, StorageSecretNeeded, type CheckedLaunch } from './launchCheck.service';
import { parseLaunch, recordLaunch } from './launch.service';
import { newWindowForm, stateCookieName, storageKey } from './login.routes';
import type { PlatformKeyCache } from '../registration';
import { LtiRefusal, refuse } from './refusal.service';

/** The form field a platform-storage launch page posts the secret back in. */
const storageSecretField = 'lti_storage_secret';

/**
 * The tool's redirect URIs (LTI 1.3 §5.1.1.2 `redirect_uri`): the platform posts the id_token of a resource link
 * launch to /lti/launch and of a deep-linking request to /lti/deeplink. Both run Rounds' launch check, the only
 * validator, then complete the launch from the claims it verified.
 */
export function launchRouter(config: Config, keys: PlatformKeyCache): Router {
  const router = express.Router();
  router.post(
    ['/lti/launch', '/lti/deeplink'],
    express.urlencoded({ extended: false, limit: '200kb' }),
    async (req: Request, res: Response, next) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const state = typeof body.state === 'string' ? body.state : '';
      let checked: CheckedLaunch;
      try {
        checked = await checkLaunch(
          {
            idToken: body.id_token,
            state: body.state,
            stateCookie: req.signedCookies?.[stateCookieName(state)] as string | undefined,
            storageSecret: body[storageSecretField],
          },
          config,
          keys,
        );
      } catch (error) {
        if (error instanceof StorageSecretNeeded) return askForStorageSecret(req, res, error, body, state);
        if (error instanceof LtiRefusal) return refuse(req, next, error);
        throw error;
      }
      const { maxAge: _unused, ...cookieOptions } = crossSiteCookieOptions(config, 0);
      res.clearCookie(stateCookieName(state), cookieOptions);
      await completeLaunch(req, res, checked, config);
    },
  );
  return router;
}

/**
 * Finishes a verified launch: records tenant, user, course and enrollment, starts the Rounds session, and sends
 * the browser on with 303 (POST → GET), so a reload never re-posts the single-use id_token.
 */
async function completeLaunch(req: Request, res: Response, checked: CheckedLaunch, config: Config) {
  const claims = parseLaunch(checked.payload, checked.platform.clientId);
  const recorded = await recordLaunch(claims, checked.platform);
  // The session remembers which activity it came from and what it opens: a module completed in it is graded there.
  const target = launchTargetOf(claims);
  const actor = {
    ...recorded,
    ...(claims.resourceLink && claims.messageType === 'LtiResourceLinkRequest'
      ? { resourceLinkId: claims.resourceLink.id }
      : {}),
    ...(target ? { target } : {}),
  };
  // A deep-linking request goes to its picker (learners are refused there, before a session starts).
  const deepLinkPicker = await rememberDeepLinkRequest(actor, claims);
  const landing = deepLinkPicker ?? landingPathFor(claims) ?? '/home';
  // A frame that keeps no cookie (launch bound through platform storage) cannot hold a session: hand it over.
  if (checked.boundByStorage) {
    const code = await createHandoff(actor, landing, {
      fullName: claims.name,
      email: claims.email,
      lmsName: checked.platform.name,
    });
    // Same-origin Referrer-Policy: browsers without Fetch Metadata then send Rounds' Origin with the handoff POST.
    res
      .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'same-origin' })
      .render('lti/handoff', { title: 'Rounds is ready', code });
    return;
  }
  await signIn(req, res, actor, config);
  res.redirect(303, landing);
}

/** A launch that passed every check in a frame without cookies: fetch the login's secret from platform storage. */
function askForStorageSecret(
  req: Request,
  res: Response,
  error: StorageSecretNeeded,
  body: Record<string, unknown>,
  state: string,
) {
  res.set('Cache-Control', 'no-store');
  res.render('lti/storage-launch', {
    title: 'Opening Rounds',
    storage: {
      target: error.loginState.storageTarget,
      origin: new URL(error.loginState.authRequestUrl).origin,
      key: storageKey(error.loginState.state),
    },
    launch: { action: req.originalUrl, idToken: body.id_token, state, secretField: storageSecretField },
    newWindow: newWindowForm(error.loginState),
  });
}
