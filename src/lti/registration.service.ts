import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../shared/errors';
import type { Platform } from './platform.model';
import { registerPlatform } from './platform.service';
import type { Lti } from './provider';

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

/** Addresses a production Rounds never calls on an LMS's say-so: loopback, private, link-local (cloud metadata). */
const internalAddresses = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  internalAddresses.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const) {
  internalAddresses.addSubnet(network, prefix, 'ipv6');
}

/**
 * Anyone can open /lti/register with a URL of their choosing, so in production Rounds refuses to call an LMS
 * whose host resolves to an internal address (no requests into the hospital's own network on a stranger's
 * behalf). Development and tests run the sandbox LMS on 127.0.0.1, so they skip this check.
 */
export async function requirePublicHost(url: URL, what: string, config: Pick<Config, 'env'>): Promise<void> {
  if (allowsPlainHttp(config)) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch {
    throw new RegistrationRefusedError(`Rounds could not find the LMS's ${what} host ${url.hostname}.`, 502);
  }
  const internal = addresses.some(({ address, family }) => {
    const mapped = family === 6 ? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] : undefined;
    if (mapped) return internalAddresses.check(mapped, 'ipv4');
    return internalAddresses.check(address, family === 6 ? 'ipv6' : 'ipv4');
  });
  if (internal) {
    throw new RegistrationRefusedError(
      `The LMS's ${what} is on a private or local address (${url.hostname}); Rounds only registers with an LMS it can reach on a public address.`,
    );
  }
}

const fetchTimeoutMs = 10_000;
const maxResponseBytes = 256 * 1024;

/** Calls the platform without following redirects (the issuer check is about the URL the LMS gave us). */
async function callPlatform(url: URL, init: RequestInit, what: string): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(fetchTimeoutMs) });
  } catch (error) {
    throw new RegistrationRefusedError(
      `Rounds could not reach the LMS's ${what} at ${url.origin} (${(error as Error).message}).`,
      502,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    throw new RegistrationRefusedError(
      `The LMS's ${what} answered ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}.`,
      502,
    );
  }
  if (text.length > maxResponseBytes)
    throw new RegistrationRefusedError(`The LMS's ${what} is too large.`, 502);
  try {
    return JSON.parse(text);
  } catch {
    throw new RegistrationRefusedError(`The LMS's ${what} did not answer with JSON.`, 502);
  }
}

/** Fetches and checks the platform's OpenID configuration (DR 1.0 §3.4, §3.5). */
async function fetchPlatformConfiguration(url: URL, config: Config): Promise<PlatformConfiguration> {
  const body = await callPlatform(url, { headers: { Accept: 'application/json' } }, 'OpenID configuration');
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
  platform: Platform;
  deploymentId?: string;
}

/**
 * LTI Dynamic Registration 1.0, tool side: reads the platform's configuration, registers Rounds there with the
 * one-time registration token, and records the platform inactive until a Rounds administrator activates it.
 */
export async function registerDynamically(
  lti: Lti,
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
  );
  const registered = registrationResponseSchema.safeParse(response);
  if (!registered.success) {
    throw new RegistrationRefusedError("The LMS's registration endpoint did not return a client_id.", 502);
  }
  const deploymentId = registered.data[toolConfigurationClaim]?.deployment_id;
  const stored = await registerPlatform(
    lti,
    {
      issuer: platform.issuer,
      clientId: registered.data.client_id,
      deploymentIds: deploymentId ? [deploymentId] : [],
      name: platformNameFor(platform),
      authUrl: platform.authorization_endpoint,
      tokenUrl: platform.token_endpoint,
      jwksUrl: platform.jwks_uri,
    },
    { active: false },
  );
  return { platform: stored, ...(deploymentId ? { deploymentId } : {}) };
}
