import type { Express, RequestHandler } from 'express';
import type { Config } from '../config';
import { UnauthorizedError } from '../shared/errors';
import { signIn } from '../shared/http/session';
import { deepLinkRouter } from './deeplink.routes';
import { landingPathFor, rememberDeepLinkRequest } from './deeplink.service';
import { handoffRouter } from './handoff.routes';
import { createHandoff } from './handoff.service';
import { checkedPlatformKey, cookielessLaunchKey, launchGuard } from './launchCheck.routes';
import { parseLaunch, recordLaunch } from './launch.service';
import { loginRouter } from './login.routes';
import type { Platform } from './platform.model';
import { launchTokenKey, type Lti } from './provider';
import { registrationRouter } from './registration.routes';

/**
 * Finishes a launch ltijs has validated: records tenant, user, course and enrollment, starts the Rounds session,
 * and sends the browser on with 303 (POST → GET), so a reload never re-posts the single-use id_token.
 */
function completeLaunch(config: Config): RequestHandler {
  return async (_req, res) => {
    const token = res.locals[launchTokenKey];
    // Both are set for every id_token: Rounds' launch check runs before ltijs on every /lti POST.
    const platform = res.locals[checkedPlatformKey] as Platform | undefined;
    if (!token || !platform) throw new UnauthorizedError();
    const claims = parseLaunch(token);
    const actor = await recordLaunch(claims, platform);
    // A deep-linking request goes to its picker (learners are refused there, before a session starts).
    const deepLinkPicker = await rememberDeepLinkRequest(actor, claims);
    const landing = deepLinkPicker ?? landingPathFor(claims) ?? '/home';
    // A frame that keeps no cookie (launch bound through platform storage) cannot hold a session: hand it over.
    if (res.locals[cookielessLaunchKey]) {
      const code = await createHandoff(actor, landing);
      res.set('Cache-Control', 'no-store').render('lti/handoff', { title: 'Rounds is ready', code });
      return;
    }
    await signIn(res, actor, config);
    res.redirect(303, landing);
  };
}

/**
 * Mounts Rounds' OIDC login and launch check, then ltijs at /lti (launch, keys, register), then Rounds'
 * completion of the launch after it. ltijs' own /lti/login is never reached.
 */
export function mountLti(app: Express, lti: Lti, config: Config): void {
  app.use(loginRouter(config), handoffRouter(config));
  app.use(launchGuard(config, lti));
  // Rounds' own /lti/register (Dynamic Registration) and deep-linking picker, before ltijs demands an id_token.
  app.use('/lti', registrationRouter(lti, config), deepLinkRouter(config));
  app.use('/lti', lti.app);
  app.post(['/lti/launch', '/lti/deeplink'], completeLaunch(config));
}
