import express, { type Request, type Response, type Router } from 'express';
import { findPerson, sandboxPeople, canAddActivities, defaultResourceLink } from './sandbox.people';
import {
  buildLaunchClaims,
  buildLoginInitiationUrl,
  deepLinkingHint,
  parseMessageHint,
  type LaunchTarget,
} from './sandbox.claims';
import { findLaunchTarget } from './sandbox.course';
import {
  AuthRequestError,
  renderAuthRequestRefusal,
  renderSandboxError,
  renderSandboxPage,
} from './sandbox.http';
import type { SandboxContext, SandboxPerson } from './sandbox.types';

interface AuthorizedLaunch {
  person: SandboxPerson;
  redirectUri: string;
  state: string;
  nonce: string;
  messageType: 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';
  link: LaunchTarget;
  targetLinkUri?: string;
}

function parameterOf(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Checks an OIDC authentication request as the LTI 1.3 platform must (1EdTech Security Framework
 * §5.1.1.2, LTI 1.3 §5.1.1.3). Order follows the spec's list, so the first wrong parameter is reported.
 */
async function authorizeLaunch(
  context: SandboxContext,
  params: Record<string, unknown>,
): Promise<AuthorizedLaunch> {
  const get = (name: string) => parameterOf(params, name);
  const expect = (name: string, expected: string, shown = expected) => {
    if (get(name) !== expected) throw new AuthRequestError(name, `must be ${shown}`);
  };
  if (!(get('scope') ?? '').split(' ').includes('openid'))
    throw new AuthRequestError('scope', 'must include openid');
  expect('response_type', 'id_token');
  expect('response_mode', 'form_post');
  expect('prompt', 'none');
  expect('client_id', context.clientId, 'the client_id this platform issued to the tool');
  const redirectUri = get('redirect_uri');
  // Exact match against the tool's registered redirect URIs, as Moodle's auth.php does.
  if (redirectUri !== context.tool.launchUrl && redirectUri !== context.tool.deepLinkUrl) {
    throw new AuthRequestError('redirect_uri', 'is not one of the redirect URIs registered for the tool');
  }
  const person = sandboxPeople.find((candidate) => candidate.userId === get('login_hint'));
  if (!person) throw new AuthRequestError('login_hint', 'does not name a person of the sandbox course');
  const nonce = get('nonce');
  if (!nonce) throw new AuthRequestError('nonce', 'is required');
  const state = get('state');
  if (!state) throw new AuthRequestError('state', 'is required');
  const deploymentId = get('lti_deployment_id');
  if (deploymentId !== undefined && deploymentId !== context.deploymentId) {
    throw new AuthRequestError('lti_deployment_id', `must be ${context.deploymentId}`);
  }
  const hint = parseMessageHint(get('lti_message_hint') ?? '');
  if (!hint) throw new AuthRequestError('lti_message_hint', 'is missing or not one this platform issued');
  if (hint.kind === 'deepLinking') {
    if (!canAddActivities(person)) {
      throw new AuthRequestError('lti_message_hint', `${person.name} may not add activities to the course`);
    }
    const link = { ...defaultResourceLink };
    return { person, redirectUri, state, nonce, messageType: 'LtiDeepLinkingRequest', link };
  }
  const link = await findLaunchTarget(context.issuer, hint.resourceLinkId);
  if (!link) throw new AuthRequestError('lti_message_hint', 'names no activity of the course');
  return {
    person,
    redirectUri,
    state,
    nonce,
    messageType: 'LtiResourceLinkRequest',
    link,
    ...(hint.targetLinkUri === undefined ? {} : { targetLinkUri: hint.targetLinkUri }),
  };
}

/** Launch pages, the OIDC authorization endpoint and the platform JWKS. */
export function createAuthRouter(context: SandboxContext): Router {
  const router = express.Router();

  router.get('/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json({ keys: [context.signingKey.publicJwk] });
  });

  // "Launch as …": what a Moodle activity link does, third-party-initiated login (LTI 1.3 §5.1.1).
  router.get('/launch/:personKey', async (req: Request, res: Response) => {
    const person = findPerson(String(req.params.personKey));
    if (!person) {
      renderSandboxError(
        req,
        res,
        404,
        'No such person',
        'The sandbox course has no demo person by that name.',
      );
      return;
    }
    if (req.query.message_type === 'LtiDeepLinkingRequest') {
      if (!canAddActivities(person)) {
        renderSandboxError(
          req,
          res,
          403,
          'Not allowed',
          `${person.name} may not add activities to the course.`,
        );
        return;
      }
      res.redirect(302, buildLoginInitiationUrl(context, person, deepLinkingHint, context.tool.deepLinkUrl));
      return;
    }
    const resourceLinkId =
      typeof req.query.resource_link_id === 'string'
        ? req.query.resource_link_id
        : defaultResourceLink.resourceLinkId;
    const link = await findLaunchTarget(context.issuer, resourceLinkId);
    if (!link) {
      renderSandboxError(
        req,
        res,
        404,
        'No such activity',
        'The sandbox course has no activity with that id.',
      );
      return;
    }
    context.logger.info({ personKey: person.key, resourceLinkId }, 'sandbox launch started');
    res.redirect(
      302,
      buildLoginInitiationUrl(context, person, resourceLinkId, link.url ?? context.tool.launchUrl),
    );
  });

  router.all('/auth', express.urlencoded({ extended: false }), async (req: Request, res: Response) => {
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.status(405).set('Allow', 'GET, POST').end();
      return;
    }
    const params = {
      ...(req.query as Record<string, unknown>),
      ...((req.body ?? {}) as Record<string, unknown>),
    };
    let launch: AuthorizedLaunch;
    try {
      launch = await authorizeLaunch(context, params);
    } catch (error) {
      if (!(error instanceof AuthRequestError)) throw error;
      context.logger.info({ parameter: error.parameter }, 'sandbox refused an authentication request');
      renderAuthRequestRefusal(req, res, error);
      return;
    }
    const claims = buildLaunchClaims(context, launch.person, launch);
    const idToken = await context.signingKey.sign(claims);
    // The id_token is a credential: keep it out of caches.
    res.set('Cache-Control', 'no-store');
    renderSandboxPage(req, res, 'autopost', {
      title: 'Opening Rounds',
      action: launch.redirectUri,
      idToken,
      state: launch.state,
      personName: launch.person.name,
      activityTitle: launch.messageType === 'LtiDeepLinkingRequest' ? 'Add an activity' : launch.link.title,
    });
  });

  return router;
}
