import { createHash } from 'node:crypto';
import { sandboxCourse, type RosterMember } from './sandbox.people';
import type { SandboxContext, SandboxPerson } from './sandbox.types';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';

/** AGS 2.0 §3.1 and NRPS 2.0 §2.1 scopes the platform grants. */
export const serviceScopes = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  membershipReadOnly: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
} as const;

/** `lti_message_hint` value that asks for a deep-linking request instead of a resource-link launch. */
export const deepLinkingHint = 'deeplink';

/** Moodle carries `?type_id=N` (the tool type) on every service URL; ours is always tool type 1. */
const typeIdQuery = '?type_id=1';

/** Absolute URLs the platform hands out, Moodle-shaped. */
export function sandboxUrls(base: string) {
  const ags = `${base}/ags/contexts/${sandboxCourse.contextId}/lineitems`;
  return {
    course: `${base}/`,
    auth: `${base}/auth`,
    token: `${base}/token`,
    jwks: `${base}/jwks.json`,
    deepLinkReturn: `${base}/deeplink/return`,
    lineItems: `${ags}${typeIdQuery}`,
    lineItem: (lineItemId: number) => `${ags}/${lineItemId}/lineitem${typeIdQuery}`,
    lineItemPath: (lineItemId: number) => `${ags}/${lineItemId}/lineitem`,
    memberships: `${base}/nrps/contexts/${sandboxCourse.contextId}/memberships`,
  };
}

/** What a launch points at: a course activity (resource link). */
export interface LaunchTarget {
  resourceLinkId: string;
  title: string;
  text?: string;
  custom: Record<string, unknown>;
  /** The content item's own URL, when deep linking gave one. */
  url?: string;
  /** The activity's grade item; Moodle then adds its URL as the AGS claim's `lineitem`. */
  lineItemId?: number;
}

/** The platform's decoded `lti_message_hint`: which activity, or a deep-linking request. */
export type MessageHint =
  { kind: 'deepLinking' } | { kind: 'resourceLink'; resourceLinkId: string; targetLinkUri?: string };

/**
 * Reads an `lti_message_hint`. Plain values are resource link ids (or `deeplink`); a JSON object carries a
 * target_link_uri override, much as Moodle 4.x packs its launch details into the hint as JSON.
 */
export function parseMessageHint(hint: string): MessageHint | undefined {
  if (hint === deepLinkingHint) return { kind: 'deepLinking' };
  if (hint.startsWith('{')) {
    try {
      const parsed = JSON.parse(hint) as { resourceLinkId?: unknown; targetLinkUri?: unknown };
      if (typeof parsed.resourceLinkId !== 'string' || typeof parsed.targetLinkUri !== 'string')
        return undefined;
      return {
        kind: 'resourceLink',
        resourceLinkId: parsed.resourceLinkId,
        targetLinkUri: parsed.targetLinkUri,
      };
    } catch {
      return undefined;
    }
  }
  return /^[A-Za-z0-9_-]{1,64}$/.test(hint) ? { kind: 'resourceLink', resourceLinkId: hint } : undefined;
}

/** Encodes what the login initiation should carry as `lti_message_hint`. */
export function encodeMessageHint(resourceLinkId: string, targetLinkUri?: string): string {
  return targetLinkUri === undefined ? resourceLinkId : JSON.stringify({ resourceLinkId, targetLinkUri });
}

/** Third-party-initiated login URL (LTI 1.3 §5.1.1 / Security Framework §5.1.1.1). */
export function buildLoginInitiationUrl(
  context: SandboxContext,
  person: SandboxPerson,
  messageHint: string,
  targetLinkUri: string,
): string {
  const url = new URL(context.tool.loginUrl);
  url.searchParams.set('iss', context.issuer);
  url.searchParams.set('login_hint', person.userId);
  url.searchParams.set('target_link_uri', targetLinkUri);
  url.searchParams.set('lti_message_hint', messageHint);
  url.searchParams.set('client_id', context.clientId);
  url.searchParams.set('lti_deployment_id', context.deploymentId);
  return url.toString();
}

/** Moodle turns non-alphanumerics in custom parameter names into `_` (mod/lti/locallib.php, lti_map_keyname). */
export function moodleCustomParameters(custom: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(custom)) {
    result[name.replace(/[^A-Za-z0-9]/g, '_')] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return result;
}

/** Opaque `data` for a deep-linking request: who asked and until when, MAC'd so the return can trust it. */
export function createDeepLinkingData(context: SandboxContext, person: SandboxPerson): string {
  const payload = Buffer.from(
    JSON.stringify({ userId: person.userId, exp: Math.floor(Date.now() / 1000) + 3600 }),
  ).toString('base64url');
  return `${payload}.${context.signingKey.mac(payload)}`;
}

/** The user id a deep-linking `data` value was issued to, if it is ours and unexpired. */
export function readDeepLinkingData(context: SandboxContext, data: unknown): string | undefined {
  if (typeof data !== 'string') return undefined;
  const [payload, mac] = data.split('.');
  if (!payload || !mac || !context.signingKey.verifyMac(payload, mac)) return undefined;
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    userId: string;
    exp: number;
  };
  return decoded.exp > Date.now() / 1000 ? decoded.userId : undefined;
}

/** Moodle's site identifier is an opaque hash of the site; ours hashes the issuer. */
function platformGuid(issuer: string): string {
  return createHash('sha256').update(issuer).digest('hex').slice(0, 32);
}

/** Standard OIDC claims about the person (OIDC Core §5.1), as Moodle sends them by default. */
function personClaims(person: SandboxPerson | RosterMember): Record<string, unknown> {
  return {
    name: person.name,
    given_name: person.givenName,
    family_name: person.familyName,
    email: person.email,
  };
}

/**
 * Custom parameters about the person, as an LMS administrator adds them to the tool's configuration (Moodle: the
 * tool's "Custom parameters"). In the sandbox an activity's own custom parameters win a clash.
 */
function personCustomParameters(person: SandboxPerson): Record<string, string> {
  return person.professionParameter ? { profession: person.professionParameter } : {};
}

/**
 * The id_token claims for a launch (LTI 1.3 §5.3–5.4; AGS 2.0 §3.1; NRPS 2.0 §3.6; Deep Linking 2.0 §4.4).
 * A deep-linking request has no resource_link claim, and targets the tool's deep-linking URL.
 */
export function buildLaunchClaims(
  context: SandboxContext,
  person: SandboxPerson,
  launch: {
    nonce: string;
    messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
    link: LaunchTarget;
    targetLinkUri?: string;
  },
): Record<string, unknown> {
  const urls = sandboxUrls(context.base);
  const now = Math.floor(Date.now() / 1000);
  const deepLinking = launch.messageType === 'LtiDeepLinkingRequest';
  const claims: Record<string, unknown> = {
    iss: context.issuer,
    aud: context.clientId,
    azp: context.clientId,
    sub: person.userId,
    iat: now,
    exp: now + 300,
    nonce: launch.nonce,
    ...personClaims(person),
    [`${lti}message_type`]: launch.messageType,
    [`${lti}version`]: '1.3.0',
    [`${lti}deployment_id`]: context.deploymentId,
    [`${lti}target_link_uri`]:
      launch.targetLinkUri ??
      (deepLinking ? context.tool.deepLinkUrl : (launch.link.url ?? context.tool.launchUrl)),
    [`${lti}roles`]: person.roles,
    [`${lti}context`]: {
      id: sandboxCourse.contextId,
      label: sandboxCourse.label,
      title: sandboxCourse.title,
      type: ['http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering'],
    },
    [`${lti}tool_platform`]: {
      guid: platformGuid(context.issuer),
      name: 'Rounds Sandbox LMS',
      product_family_code: 'rounds-sandbox',
      version: '4.5-sandbox',
    },
    [`${lti}launch_presentation`]: { document_target: 'iframe', return_url: urls.course },
    [`${lti}custom`]: moodleCustomParameters({ ...personCustomParameters(person), ...launch.link.custom }),
    'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint': {
      scope: [
        serviceScopes.lineItem,
        serviceScopes.lineItemReadOnly,
        serviceScopes.resultReadOnly,
        serviceScopes.score,
      ],
      lineitems: urls.lineItems,
      ...(launch.link.lineItemId === undefined || deepLinking
        ? {}
        : { lineitem: urls.lineItem(launch.link.lineItemId) }),
    },
    'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice': {
      context_memberships_url: urls.memberships,
      service_versions: ['2.0'],
    },
  };
  if (deepLinking) {
    claims['https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings'] = {
      deep_link_return_url: urls.deepLinkReturn,
      accept_types: ['ltiResourceLink'],
      accept_presentation_document_targets: ['iframe', 'window'],
      accept_multiple: true,
      auto_create: true,
      title: 'Add an activity from Rounds',
      data: createDeepLinkingData(context, person),
    };
  } else {
    claims[`${lti}resource_link`] = {
      id: launch.link.resourceLinkId,
      title: launch.link.title,
      ...(launch.link.text ? { description: launch.link.text } : {}),
    };
  }
  return claims;
}
