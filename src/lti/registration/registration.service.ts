import { z } from 'zod';
import type { Config } from '../../config';
import { AppError } from '../../shared/errors';
import {
  assertPublicUrl,
  OutboundError,
  outboundRequest,
  privateAddressesAllowed,
  type OutboundResponse,
} from '../../shared/http/outbound';
import type { Platform } from './platform.model';
import {
  countPendingRegistrations,
  findPlatformByIdentity,
  proposePlatformChange,
  registerPlatform,
} from './platform.service';

const toolConfigurationClaim = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const platformConfigurationClaim = 'https://purl.imsglobal.org/spec/lti-platform-configuration';

/**
 * The Advantage scopes Rounds asks for: line items (create and read; `lineitem` includes reading) and scores for
 * grades, and the course roster for cohorts. Nothing it would not use (no result.readonly).
 */
export const requestedScopes = [
  'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly',
];

/** Only the identity claims Rounds shows or needs (OIDC Core §5.1); no picture, locale or address. */
export const requestedClaims = ['iss', 'sub', 'name', 'given_name', 'family_name', 'email'];

/** A registration that cannot go ahead, with what to tell the LMS administrator. */
export class RegistrationRefusedError extends AppError {
  constructor(message: string, status = 400) {
    super(message, status, 'lti_registration_refused', true);
  }
}

/** DR 1.0 §3.3: the platform opens the tool's registration URL with these two query parameters. */
const initiationSchema = z.object({
  openid_configuration: z.string({ error: 'is missing' }).min(1, 'is missing'),
  registration_token: z.string({ error: 'is missing' }).min(1, 'is missing'),
});

/** The parts of the platform's OpenID configuration (DR 1.0 §3.4) Rounds relies on. */
const platformConfigurationSchema = z.object({
  issuer: z.string().min(1),
  authorization_endpoint: z.string().min(1),
  token_endpoint: z.string().min(1),
  jwks_uri: z.string().min(1),
  registration_endpoint: z.string().min(1),
  [platformConfigurationClaim]: z
    .object({ product_family_code: z.string().optional(), version: z.string().optional() })
    .partial()
    .optional(),
});
type PlatformConfiguration = z.infer<typeof platformConfigurationSchema>;

/** DR 1.0 §3.6: the platform answers with the client it created, and usually the deployment. */
const registrationResponseSchema = z.object({
  client_id: z.coerce.string().min(1),
  [toolConfigurationClaim]: z
    .object({ deployment_id: z.coerce.string().min(1).optional() })
    .partial()
    .optional(),
});

/** Plain HTTP is for development and tests (the sandbox LMS runs on http://127.0.0.1); production needs HTTPS. */
export function allowsPlainHttp(config: Pick<Config, 'env'>): boolean {
  return config.env !== 'production';
}

/** Parses an http(s) URL, refusing plain HTTP where HTTPS is required; `what` names it in the message. */
export function requireWebUrl(value: string, what: string, config: Pick<Config, 'env'>): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RegistrationRefusedError(`The LMS sent a ${what} that is not a URL.`);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && allowsPlainHttp(config)) return url;
  throw new RegistrationRefusedError(
    `The LMS's ${what} must use HTTPS (it is ${url.protocol}//${url.host}).`,
  );
}

/**
 * DR 1.0 §3.5.1: the configuration URL must start with the issuer. Compared as parsed URLs (same origin, the
 * issuer's path a whole-segment prefix), so `https://lms.example.org.evil.test/` does not pass for
 * `https://lms.example.org`.
 */
export function configurationMatchesIssuer(configurationUrl: URL, issuer: string): boolean {
  let issuerUrl: URL;
  try {
    issuerUrl = new URL(issuer);
  } catch {
    return false;
  }
  if (issuerUrl.origin !== configurationUrl.origin || issuerUrl.search || issuerUrl.hash) return false;
  const issuerPath = issuerUrl.pathname.replace(/\/+$/, '');
  return (
    issuerPath === '' ||
    configurationUrl.pathname === issuerPath ||
    configurationUrl.pathname.startsWith(`${issuerPath}/`)
  );
}

function privateHostRefusal(url: URL, what: string): RegistrationRefusedError {
  return new RegistrationRefusedError(
    `The LMS's ${what} is on a private or local address (${url.hostname}); Rounds only registers with an LMS it can reach on a public address.`,
  );
}

/**
 * Anyone can open /lti/register with a URL of their choosing, so in production Rounds refuses to call an LMS
 * whose host resolves to an internal address. Development and tests run the sandbox LMS on 127.0.0.1.
 */
export async function requirePublicHost(url: URL, what: string, config: Pick<Config, 'env'>): Promise<void> {
  if (privateAddressesAllowed(config)) return;
  try {
    await assertPublicUrl(url);
  } catch (error) {
    if (error instanceof OutboundError && error.kind === 'blocked_address')
      throw privateHostRefusal(url, what);
    throw new RegistrationRefusedError(`Rounds could not find the LMS's ${what} host ${url.hostname}.`, 502);
  }
}

/** Calls the platform through Rounds' outbound client: no redirect, 256 KiB, 10 s, no private address in production. */
async function callPlatform(
  url: URL,
  init: { method?: string; headers?: Record<string, string>; body?: string },
  what: string,
  config: Pick<Config, 'env'>,
): Promise<unknown> {
  let response: OutboundResponse;
  try {
    response = await outboundRequest(url, {
      ...init,
      maxBytes: 256 * 1024,
      timeoutMs: 10_000,
      allowPrivateAddresses: privateAddressesAllowed(config),
    });
  } catch (error) {
    if (error instanceof OutboundError && error.kind === 'blocked_address')
      throw privateHostRefusal(url, what);
    throw new RegistrationRefusedError(
      `Rounds could not reach the LMS's ${what} at ${url.origin}: ${(error as Error).message}`,
      502,
    );
  }
  // The status only: the body is whatever answered at that URL (SSRF), not something to show.
  if (!response.ok) throw new RegistrationRefusedError(`The LMS's ${what} answered ${response.status}.`, 502);
  try {
    return response.json();
  } catch {
    throw new RegistrationRefusedError(`The LMS's ${what} did not answer with JSON.`, 502);
  }
}

/** Fetches and checks the platform's OpenID configuration (DR 1.0 §3.4, §3.5). */
async function fetchPlatformConfiguration(url: URL, config: Config): Promise<PlatformConfiguration> {
  const body = await callPlatform(
    url,
    { headers: { Accept: 'application/json' } },
    'OpenID configuration',
    config,
  );
  const parsed = platformConfigurationSchema.safeParse(body);
  if (!parsed.success) {
    const field = parsed.error.issues[0]?.path.join('.') ?? 'a field';
    throw new RegistrationRefusedError(`The LMS's OpenID configuration lacks ${field}.`);
  }
  const platform = parsed.data;
  if (!configurationMatchesIssuer(url, platform.issuer)) {
    throw new RegistrationRefusedError(
      `The LMS's OpenID configuration names the issuer ${platform.issuer}, but was served from ${url.origin}${url.pathname}, which does not start with it.`,
    );
  }
  requireWebUrl(platform.issuer, 'issuer', config);
  for (const key of [
    'authorization_endpoint',
    'token_endpoint',
    'jwks_uri',
    'registration_endpoint',
  ] as const) {
    requireWebUrl(platform[key], key.replace(/_/g, ' '), config);
  }
  return platform;
}

/** The tool registration Rounds sends (DR 1.0 §3.1 and §3.2, OIDC Dynamic Client Registration §2). */
export function toolRegistrationFor(publicUrl: string) {
  const launchUrl = `${publicUrl}/lti/launch`;
  const deepLinkUrl = `${publicUrl}/lti/deeplink`;
  return {
    application_type: 'web',
    client_name: 'Rounds',
    jwks_uri: `${publicUrl}/lti/keys`,
    initiate_login_uri: `${publicUrl}/lti/login`,
    redirect_uris: [launchUrl, deepLinkUrl],
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: ['implicit', 'client_credentials'],
    response_types: ['id_token'],
    scope: requestedScopes.join(' '),
    [toolConfigurationClaim]: {
      domain: new URL(publicUrl).host,
      target_link_uri: launchUrl,
      description: 'Well-being modules, mentor-led cohorts and CME credit tracking for clinicians.',
      claims: requestedClaims,
      messages: [
        { type: 'LtiResourceLinkRequest', target_link_uri: launchUrl, label: 'Rounds' },
        {
          type: 'LtiDeepLinkingRequest',
          target_link_uri: deepLinkUrl,
          label: 'Add a Rounds activity',
          placements: ['ContentArea'],
        },
      ],
    },
  };
}

/** The LMS's name as admins will recognise it: its host, with its product when it says. */
function platformNameFor(platform: PlatformConfiguration): string {
  const host = new URL(platform.issuer).host;
  const product = platform[platformConfigurationClaim]?.product_family_code;
  return product ? `${product} at ${host}` : host;
}

export interface DynamicRegistrationResult {
  platform: Pick<Platform, 'name' | 'issuer' | 'clientId' | 'active'>;
  deploymentId?: string;
  /** True when the LMS updated a platform already registered: its proposal waits for an operator. */
  proposedChange: boolean;
}

/**
 * LTI Dynamic Registration 1.0, tool side: reads the platform's configuration, registers Rounds there with the
 * one-time registration token, and records the platform inactive until an operator activates it. It never
 * changes a registered platform: for an issuer and client ID already known (Moodle's "update the existing tool")
 * it files the new values as a proposal beside the current ones. Anyone can call it, so the waiting
 * registrations are capped.
 */
export async function registerDynamically(
  config: Config,
  query: Record<string, unknown>,
): Promise<DynamicRegistrationResult> {
  const initiation = initiationSchema.safeParse(query);
  if (!initiation.success) {
    const field = String(initiation.error.issues[0]?.path[0] ?? 'a parameter');
    throw new RegistrationRefusedError(
      `This registration link is incomplete: ${field} is missing. Start the registration again from the LMS ("Add tool by URL").`,
    );
  }
  if ((await countPendingRegistrations()) >= config.maxPendingRegistrations) {
    throw new RegistrationRefusedError(
      'Rounds has too many registrations waiting for approval. Ask the Rounds operator to approve or remove them, then try again.',
      503,
    );
  }
  const configurationUrl = requireWebUrl(
    initiation.data.openid_configuration,
    'OpenID configuration URL',
    config,
  );
  await requirePublicHost(configurationUrl, 'OpenID configuration URL', config);
  const platform = await fetchPlatformConfiguration(configurationUrl, config);
  const registrationEndpoint = new URL(platform.registration_endpoint);
  await requirePublicHost(registrationEndpoint, 'registration endpoint', config);

  const response = await callPlatform(
    registrationEndpoint,
    {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: `Bearer ${initiation.data.registration_token}`,
      },
      body: JSON.stringify(toolRegistrationFor(config.publicUrl)),
    },
    'registration endpoint',
    config,
  );
  const registered = registrationResponseSchema.safeParse(response);
  if (!registered.success) {
    throw new RegistrationRefusedError("The LMS's registration endpoint did not return a client_id.", 502);
  }
  const deploymentId = registered.data[toolConfigurationClaim]?.deployment_id;
  const registration = {
    issuer: platform.issuer,
    clientId: registered.data.client_id,
    deploymentIds: deploymentId ? [deploymentId] : [],
    name: platformNameFor(platform),
    authUrl: platform.authorization_endpoint,
    tokenUrl: platform.token_endpoint,
    jwksUrl: platform.jwks_uri,
  };
  const existing = await findPlatformByIdentity(registration.issuer, registration.clientId);
  if (existing) {
    await proposePlatformChange(registration);
    return { platform: existing, ...(deploymentId ? { deploymentId } : {}), proposedChange: true };
  }
  const stored = await registerPlatform(registration, { registeredBy: 'dynamic-registration' });
  return { platform: stored, ...(deploymentId ? { deploymentId } : {}), proposedChange: false };
}
