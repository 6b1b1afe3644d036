/**
 * What a verified launch says, as the rest of Rounds reads it (parsed in launch/launch.service.ts). It lives
 * here, outside any one capability, because the launch records it and the services and deep linking read it.
 */
export interface LaunchClaims {
  issuer: string;
  clientId: string;
  deploymentId: string;
  subject: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  platformName: string;
  roles: string[];
  messageType: string;
  context: { id: string; title: string; label: string };
  resourceLink?: { id: string; title: string };
  custom: Record<string, unknown>;
  /** Web origins of the LMS named in the signed launch (return URLs, platform URL): where its pages frame Rounds. */
  webOrigins: string[];
  /** Assignment and Grade Services endpoints for this link, when the platform offers them. */
  ags?: { scopes: string[]; lineItemsUrl?: string; lineItemUrl?: string };
  /** Names and Roles membership URL for this course, when the platform offers it. */
  nrps?: { membershipsUrl: string };
  /** Deep-linking settings, on an LtiDeepLinkingRequest (absent `accept_lineitem` counts as accepted). */
  deepLinking?: {
    returnUrl: string;
    acceptTypes: string[];
    acceptMultiple: boolean;
    acceptLineItem: boolean;
    data?: string;
    title?: string;
  };
}
