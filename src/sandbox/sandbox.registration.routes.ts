import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import express, { type Request, type Response, type Router } from 'express';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { projectRoot } from '../config';
import { sandboxUrls, serviceScopes } from './sandbox.claims';
import { renderSandboxPage } from './sandbox.http';
import { nextSequenceValue } from './sandbox.model';
import { sandboxPeople } from './sandbox.people';
import { createRegisteredToolLaunchRouter } from './sandbox.registration.launch';
import { SandboxRegistrationToken, SandboxToolRegistration } from './sandbox.registration.model';
import type { SandboxContext } from './sandbox.types';

const toolConfigurationClaim = 'https://purl.imsglobal.org/spec/lti-tool-configuration';
const registrationTokenLifetimeMs = 60 * 60 * 1000;

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The platform's OpenID configuration (LTI Dynamic Registration 1.0 §3.4), Moodle-shaped. */
function openIdConfiguration(context: SandboxContext) {
  const urls = sandboxUrls(context.base);
  return {
    issuer: context.issuer,
    authorization_endpoint: `${context.base}/tools/auth`,
    registration_endpoint: `${context.base}/registration`,
    jwks_uri: urls.jwks,
    token_endpoint: urls.token,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    scopes_supported: ['openid', ...Object.values(serviceScopes)],
    response_types_supported: ['id_token'],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'iss', 'name', 'given_name', 'family_name', 'email'],
    'https://purl.imsglobal.org/spec/lti-platform-configuration': {
      product_family_code: 'rounds-sandbox',
      version: '4.5-sandbox',
      messages_supported: [
        { type: 'LtiResourceLinkRequest' },
        { type: 'LtiDeepLinkingRequest', placements: ['ContentArea'] },
      ],
    },
  };
}

const includes = (value: string) => (list: string[]) => list.includes(value);

/** A tool's registration request (DR 1.0 §3.1), checked as Moodle's registration helper does. */
const registrationRequestSchema = z.object({
  application_type: z.literal('web', { error: 'must be web' }),
  client_name: z.string({ error: 'is required' }).min(1, 'is required'),
  initiate_login_uri: z.url({ error: 'must be a URL' }),
  redirect_uris: z.array(z.url({ error: 'must be URLs' }), { error: 'is required' }).min(1, 'is required'),
  jwks_uri: z.url({ error: 'must be a URL' }),
  token_endpoint_auth_method: z.literal('private_key_jwt', { error: 'must be private_key_jwt' }),
  grant_types: z
    .array(z.string(), { error: 'is required' })
    .refine(includes('implicit'), 'must include implicit')
    .refine(includes('client_credentials'), 'must include client_credentials'),
  response_types: z
    .array(z.string(), { error: 'is required' })
    .refine(includes('id_token'), 'must include id_token'),
  scope: z.string().optional(),
  [toolConfigurationClaim]: z.object(
    {
      domain: z.string({ error: 'is required' }).min(1, 'is required'),
      target_link_uri: z.url({ error: 'must be a URL' }),
      claims: z.array(z.string()).optional(),
      messages: z
        .array(z.object({ type: z.string(), target_link_uri: z.url().optional() }).loose())
        .optional(),
    },
    { error: 'is required' },
  ),
});
type RegistrationRequest = z.infer<typeof registrationRequestSchema>;

/** Every URL the tool registers must be on the domain it names, or launches would go elsewhere. */
function offDomainUrl(request: RegistrationRequest): string | undefined {
  const tool = request[toolConfigurationClaim];
  const urls = [
    request.initiate_login_uri,
    ...request.redirect_uris,
    tool.target_link_uri,
    ...(tool.messages ?? []).flatMap((message) => message.target_link_uri ?? []),
  ];
  return urls.find((url) => new URL(url).host !== tool.domain);
}

/** OIDC Dynamic Client Registration §3.3 error body. */
function sendRegistrationError(res: Response, status: 400 | 401, error: string, description: string) {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

export function createRegistrationRouter(context: SandboxContext): Router {
  const router = express.Router();
  const configurationUrl = `${context.base}/openid-configuration`;

  router.get('/static/registration.js', (_req, res) => {
    // `root`, not an absolute path: send refuses dot-segments in the path it is given (~/.apps/rounds).
    res.sendFile('sandbox-registration.js', { root: path.join(projectRoot, 'views', 'static') });
  });

  router.get('/openid-configuration', (_req, res) => {
    res.json(openIdConfiguration(context));
  });

  router.post('/registration', express.json(), async (req: Request, res: Response) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const tokenHash = match?.[1] ? hashToken(match[1]) : undefined;
    const token = tokenHash
      ? await SandboxRegistrationToken.findOne({ issuer: context.issuer, tokenHash }).lean()
      : null;
    if (!token || token.expiresAt.getTime() <= Date.now()) {
      sendRegistrationError(res, 401, 'invalid_token', 'A valid registration token is required.');
      return;
    }
    const parsed = registrationRequestSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || 'body';
      sendRegistrationError(
        res,
        400,
        'invalid_client_metadata',
        `${field}: ${issue?.message ?? 'is invalid'}`,
      );
      return;
    }
    const request = parsed.data;
    const offDomain = offDomainUrl(request);
    if (offDomain) {
      const domain = request[toolConfigurationClaim].domain;
      sendRegistrationError(
        res,
        400,
        'invalid_redirect_uri',
        `${offDomain} is not on the tool's domain ${domain}`,
      );
      return;
    }
    // Single use: whoever deletes the token registers; a replay finds nothing.
    if (!(await SandboxRegistrationToken.findOneAndDelete({ _id: token._id }))) {
      sendRegistrationError(res, 401, 'invalid_token', 'This registration token was already used.');
      return;
    }
    const sequence = await nextSequenceValue(context.issuer, 'toolRegistration');
    const tool = request[toolConfigurationClaim];
    const deepLinking = tool.messages?.find((message) => message.type === 'LtiDeepLinkingRequest');
    const registration = await SandboxToolRegistration.create({
      issuer: context.issuer,
      clientId: `sandbox-dr-${sequence}`,
      deploymentId: `sandbox-dr-deployment-${sequence}`,
      clientName: request.client_name,
      initiateLoginUri: request.initiate_login_uri,
      redirectUris: request.redirect_uris,
      jwksUri: request.jwks_uri,
      targetLinkUri: tool.target_link_uri,
      ...(deepLinking?.target_link_uri ? { deepLinkUri: deepLinking.target_link_uri } : {}),
      scopes: (request.scope ?? '').split(' ').filter(Boolean),
      claims: tool.claims ?? [],
      createdAt: new Date(),
    });
    context.logger.info({ clientId: registration.clientId }, 'sandbox registered a tool by URL');
    // DR 1.0 §3.6: the registration as stored, with the client id and, in the tool configuration, the deployment.
    res.set('Cache-Control', 'no-store').json({
      ...request,
      client_id: registration.clientId,
      [toolConfigurationClaim]: { ...tool, deployment_id: registration.deploymentId },
    });
  });

  const renderToolsPage = async (req: Request, res: Response, extra: Record<string, unknown> = {}) => {
    const tools = await SandboxToolRegistration.find({ issuer: context.issuer })
      .sort({ createdAt: 1 })
      .lean();
    renderSandboxPage(req, res, 'tools', {
      title: 'LTI tools',
      builtInClientId: context.clientId,
      registrationUrl: new URL('/lti/register', context.tool.loginUrl).toString(),
      tools: tools.map((tool) => ({
        clientName: tool.clientName,
        clientId: tool.clientId,
        deploymentId: tool.deploymentId,
        registeredAt: DateTime.fromJSDate(tool.createdAt, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'"),
        launches: sandboxPeople.map((person) => ({
          name: person.name,
          href: `${req.baseUrl}/tools/${encodeURIComponent(tool.clientId)}/launch/${person.key}`,
        })),
      })),
      ...extra,
    });
  };

  router.get('/tools', (req, res) => renderToolsPage(req, res));

  // "Add tool by URL": issue a registration token and open the tool's registration URL in a frame.
  router.post('/tools', express.urlencoded({ extended: false }), async (req: Request, res: Response) => {
    const raw = (req.body as Record<string, unknown> | undefined)?.registrationUrl;
    const value = typeof raw === 'string' ? raw.trim() : '';
    let registrationUrl: URL | undefined;
    try {
      registrationUrl = new URL(value);
    } catch {
      registrationUrl = undefined;
    }
    if (!registrationUrl || !['http:', 'https:'].includes(registrationUrl.protocol)) {
      res.status(400);
      await renderToolsPage(req, res, {
        registrationUrl: value,
        error: 'Enter the tool’s registration URL, starting with https:// or http://.',
      });
      return;
    }
    const token = randomBytes(32).toString('base64url');
    await SandboxRegistrationToken.deleteMany({ expiresAt: { $lt: new Date() } });
    await SandboxRegistrationToken.create({
      issuer: context.issuer,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + registrationTokenLifetimeMs),
    });
    const frameUrl = new URL(registrationUrl);
    frameUrl.searchParams.set('openid_configuration', configurationUrl);
    frameUrl.searchParams.set('registration_token', token);
    res.set('Cache-Control', 'no-store');
    renderSandboxPage(req, res, 'tool-registration', {
      title: 'Registering a tool',
      frameUrl: frameUrl.toString(),
      toolOrigin: registrationUrl.origin,
    });
  });

  router.use(createRegisteredToolLaunchRouter(context));
  return router;
}
