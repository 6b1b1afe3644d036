import express, { type Request, type Response, type Router } from 'express';
import { buildLaunchClaims, buildLoginInitiationUrl } from './sandbox.claims';
import {
  AuthRequestError,
  renderAuthRequestRefusal,
  renderSandboxError,
  renderSandboxPage,
} from './sandbox.http';
import { defaultResourceLink, findPerson, sandboxPeople } from './sandbox.people';
import { SandboxToolRegistration, type SandboxToolRegistrationDocument } from './sandbox.registration.model';
import type { SandboxContext } from './sandbox.types';

/** The platform as one registered tool sees it: same issuer and keys, that tool's client and deployment. */
function contextFor(context: SandboxContext, tool: SandboxToolRegistrationDocument): SandboxContext {
  return {
    ...context,
    clientId: tool.clientId,
    deploymentId: tool.deploymentId,
    tool: { ...context.tool, loginUrl: tool.initiateLoginUri, launchUrl: tool.targetLinkUri },
  };
}

/** Checks an OIDC authentication request from a tool registered by URL (Security Framework §5.1.1.2). */
async function authorizeToolLaunch(context: SandboxContext, params: Record<string, unknown>) {
  const get = (name: string) => {
    const value = params[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  if (!(get('scope') ?? '').split(' ').includes('openid')) {
    throw new AuthRequestError('scope', 'must include openid');
  }
  for (const [name, expected] of [
    ['response_type', 'id_token'],
    ['response_mode', 'form_post'],
    ['prompt', 'none'],
  ] as const) {
    if (get(name) !== expected) throw new AuthRequestError(name, `must be ${expected}`);
  }
  const tool = await SandboxToolRegistration.findOne({
    issuer: context.issuer,
    clientId: get('client_id') ?? '',
  }).lean();
  if (!tool) throw new AuthRequestError('client_id', 'is not a tool registered with this platform');
  const redirectUri = get('redirect_uri');
  if (!redirectUri || !tool.redirectUris.includes(redirectUri)) {
    throw new AuthRequestError('redirect_uri', 'is not one of the redirect URIs the tool registered');
  }
  const person = sandboxPeople.find((candidate) => candidate.userId === get('login_hint'));
  if (!person) throw new AuthRequestError('login_hint', 'does not name a person of the sandbox course');
  const nonce = get('nonce');
  if (!nonce) throw new AuthRequestError('nonce', 'is required');
  const state = get('state');
  if (!state) throw new AuthRequestError('state', 'is required');
  if (get('lti_message_hint') !== defaultResourceLink.resourceLinkId) {
    throw new AuthRequestError('lti_message_hint', 'names no activity of this tool');
  }
  return { tool, person, redirectUri, state, nonce };
}

/**
 * LTI Dynamic Registration, platform side, as Moodle 4.5's "Add tool by URL" does it: a page that opens the
 * tool's registration URL in a frame with the OpenID configuration URL and a one-time registration token, the
 * configuration and registration endpoints, and launches of the tools so registered (their own client and
 * deployment ids). Services (AGS, NRPS, deep-linking return) stay with the built-in registration.
 */

/**
 * Launches of the tools registered by URL: "Launch … as …" on the LTI tools page starts a third-party login with
 * that tool's own client and deployment ids, and `/tools/auth` is its authorization endpoint (the one the
 * sandbox's OpenID configuration names). They open the course's built-in activity.
 */
export function createRegisteredToolLaunchRouter(context: SandboxContext): Router {
  const router = express.Router();

  router.get('/tools/:clientId/launch/:personKey', async (req, res) => {
    const tool = await SandboxToolRegistration.findOne({
      issuer: context.issuer,
      clientId: String(req.params.clientId),
    }).lean();
    const person = findPerson(String(req.params.personKey));
    if (!tool || !person) {
      renderSandboxError(req, res, 404, 'Not found', 'No such tool or person in the sandbox course.');
      return;
    }
    const toolContext = contextFor(context, tool);
    res.redirect(
      302,
      buildLoginInitiationUrl(toolContext, person, defaultResourceLink.resourceLinkId, tool.targetLinkUri),
    );
  });

  router.all('/tools/auth', express.urlencoded({ extended: false }), async (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').end();
      return;
    }
    const params = {
      ...(req.query as Record<string, unknown>),
      ...((req.body ?? {}) as Record<string, unknown>),
    };
    let launch: Awaited<ReturnType<typeof authorizeToolLaunch>>;
    try {
      launch = await authorizeToolLaunch(context, params);
    } catch (error) {
      if (!(error instanceof AuthRequestError)) throw error;
      renderAuthRequestRefusal(req, res, error);
      return;
    }
    const claims = buildLaunchClaims(contextFor(context, launch.tool), launch.person, {
      nonce: launch.nonce,
      messageType: 'LtiResourceLinkRequest',
      link: { ...defaultResourceLink },
      targetLinkUri: launch.tool.targetLinkUri,
    });
    res.set('Cache-Control', 'no-store');
    renderSandboxPage(req, res, 'autopost', {
      title: `Opening ${launch.tool.clientName}`,
      action: launch.redirectUri,
      idToken: await context.signingKey.sign(claims),
      state: launch.state,
      personName: launch.person.name,
      activityTitle: defaultResourceLink.title,
    });
  });

  return router;
}
