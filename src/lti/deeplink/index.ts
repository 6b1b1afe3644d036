// The door to lti/deeplink/: what the rest of Rounds may use. Deep Linking 2.0: the picker and the signed response.
export { deepLinkRouter } from './deeplink.routes';
export { landingPathFor, launchTargetOf, rememberDeepLinkRequest } from './deeplink.service';
