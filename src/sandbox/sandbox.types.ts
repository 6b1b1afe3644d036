import type { Router } from 'express';
import type { JWTVerifyGetKey } from 'jose';
import type { Logger } from '../shared/logger';
import type { PlatformRegistration } from '../lti/registration';
import type { SandboxSigningKey } from './sandbox.keys';

/** What the main app (or a test) tells the sandbox LMS about where it lives and where Rounds is. */
export interface SandboxOptions {
  /** Rounds' origin without trailing slash, e.g. http://localhost:3000; the sandbox lives at `${publicUrl}/sandbox`. */
  publicUrl: string;
  logger: Logger;
  /** Rounds' LTI endpoints (absolute URLs), as an LMS administrator would enter them in the tool's settings. */
  tool: { loginUrl: string; launchUrl: string; deepLinkUrl: string; jwksUrl: string };
}

/** One of the five demo people of the sandbox course. */
export interface SandboxPerson {
  key: 'nurse' | 'physician' | 'pharmacist' | 'mentor' | 'cmeAdmin';
  /** Moodle's numeric user id, sent as `sub`. */
  userId: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  profession: string;
  /**
   * What the sandbox sends as the `profession` custom parameter, as an LMS administrator's mapping would
   * (README "Profession"); absent for someone the mapping gives none.
   */
  professionParameter?: string;
  /** Full LTI role URIs, as Moodle puts them in the id_token. */
  roles: string[];
  description: string;
}

export type SandboxPersonKey = SandboxPerson['key'];

/** The LMS as Rounds and the tests see it. */
export interface Sandbox {
  /** Mount at /sandbox. */
  router: Router;
  registration: PlatformRegistration;
  issuer: string;
  clientId: string;
  deploymentId: string;
  course: { contextId: string; label: string; title: string };
  people: SandboxPerson[];
  /**
   * URL of the tool's OIDC login initiation that a "Launch as …" button sends the browser to (LTI 1.3 §5.1.1).
   * `resourceLinkId` defaults to the built-in '11'; `'deeplink'` asks for a deep-linking request instead.
   * A `targetLinkUri` is carried to the id_token through a JSON `lti_message_hint`.
   */
  loginInitiationUrl(
    personKey: SandboxPersonKey,
    options?: { resourceLinkId?: string; targetLinkUri?: string },
  ): string;
  /**
   * The claims the platform would put in an id_token for this person (for tests that craft tokens).
   * iat is now and exp five minutes on; a deep-linking request carries valid `data` for /deeplink/return.
   */
  launchClaims(
    personKey: SandboxPersonKey,
    options: {
      nonce: string;
      resourceLinkId?: string;
      targetLinkUri?: string;
      messageType?: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
    },
  ): Record<string, unknown>;
  /** Signs claims as this platform (RS256, current key). `kid` overrides the header's kid, to forge an unknown one. */
  signIdToken(claims: Record<string, unknown>, options?: { kid?: string }): Promise<string>;
  /** Test switch: when false, AGS endpoints answer 503 (simulates the LMS being down). */
  setAgsAvailable(available: boolean): void;
  /**
   * Places an activity opening `target` (a Rounds `rounds_target` such as `reflection:<id>`) in the course, as
   * the mentor's deep linking would, with a grade item when `scoreMaximum` is given; returns its resource link id.
   * Idempotent: an activity already opening that target is returned, not placed again (dev demo data).
   */
  placeTargetActivity(input: {
    target: string;
    title: string;
    text?: string;
    scoreMaximum?: number;
  }): Promise<string>;
}

/** Everything the sandbox's route modules share; built once by createSandbox. */
export interface SandboxContext {
  /** `${publicUrl}/sandbox`: the issuer, and the prefix of every absolute URL the platform hands out. */
  base: string;
  issuer: string;
  clientId: string;
  deploymentId: string;
  tool: SandboxOptions['tool'];
  logger: Logger;
  signingKey: SandboxSigningKey;
  /** The tool's public keys (client assertions, deep-linking responses), fetched and cached by jose. */
  toolKeySet: JWTVerifyGetKey;
  isAgsAvailable(): boolean;
}
