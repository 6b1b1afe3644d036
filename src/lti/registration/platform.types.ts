/** What Rounds needs to know about an LMS to accept its launches (one row of `npx rounds platform list`). */
export interface PlatformRegistration {
  /** The platform's `iss`, e.g. https://moodle.example.org */
  issuer: string;
  /** The client_id the platform issued to Rounds. */
  clientId: string;
  /** Deployments of Rounds on that platform allowed to launch. */
  deploymentIds: string[];
  name: string;
  /** OIDC authentication endpoint (Moodle: /mod/lti/auth.php). */
  authUrl: string;
  /** OAuth2 token endpoint for the Advantage services (Moodle: /mod/lti/token.php). */
  tokenUrl: string;
  /** The platform's public keyset (Moodle: /mod/lti/certs.php). */
  jwksUrl: string;
}
