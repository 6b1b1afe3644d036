import type { Express } from 'express';
import type { Config } from '../config';
import { privateAddressesAllowed } from '../shared/http/outbound';
import { deepLinkRouter } from './deeplink';
import { handoffRouter, launchRouter, loginRouter } from './launch';
import { PlatformKeyCache, registrationRouter } from './registration';

/** What Rounds' LTI side keeps for the life of the process. */
export interface Lti {
  /** Platforms' public keysets, cached (fetched once, again on an unknown kid or after an hour). */
  platformKeys: PlatformKeyCache;
}

export function createLti(config: Config): Lti {
  return { platformKeys: new PlatformKeyCache({ allowPrivateAddresses: privateAddressesAllowed(config) }) };
}

/**
 * Mounts Rounds' own LTI 1.3 endpoints: OIDC login (/lti/login), the launch and deep-linking redirect URIs
 * (/lti/launch, /lti/deeplink), the new-window handoff (/lti/session), Dynamic Registration (/lti/register) and
 * the deep-linking picker (/lti/deeplink/:id). The tool keyset (/lti/keys) is mounted by the app.
 */
export function mountLti(app: Express, lti: Lti, config: Config): void {
  app.use(loginRouter(config), handoffRouter(config), launchRouter(config, lti.platformKeys));
  app.use('/lti', registrationRouter(config), deepLinkRouter(config));
}
