import { createHash, randomBytes } from 'node:crypto';
import express, { type RequestHandler, type Response, type Router } from 'express';
import { jwtVerify } from 'jose';
import { SandboxAccessToken, recordOneTimeValue } from './sandbox.model';
import { sandboxUrls, serviceScopes } from './sandbox.claims';
import type { SandboxContext } from './sandbox.types';

const accessTokenLifetimeSeconds = 3600;
const grantableScopes = new Set<string>(Object.values(serviceScopes));
const clientAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** RFC 6749 §5.2 error body; 401 only for failed client authentication. */
function sendTokenError(res: Response, status: 400 | 401, error: string, description: string): void {
  res.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

function formField(body: unknown, name: string): string | undefined {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * POST /token: the OAuth 2.0 client-credentials grant with a JWT client assertion
 * (1EdTech Security Framework §4.1; RFC 7523 §2.2 and §3).
 */
export function createTokenRouter(context: SandboxContext): Router {
  const router = express.Router();
  const tokenUrl = sandboxUrls(context.base).token;

  router.post('/token', express.urlencoded({ extended: false }), async (req, res) => {
    const grantType = formField(req.body, 'grant_type');
    if (grantType !== 'client_credentials') {
      sendTokenError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
      return;
    }
    const assertion = formField(req.body, 'client_assertion');
    if (formField(req.body, 'client_assertion_type') !== clientAssertionType || !assertion) {
      sendTokenError(res, 400, 'invalid_request', `client_assertion_type must be ${clientAssertionType}`);
      return;
    }
    const requested = (formField(req.body, 'scope') ?? '').split(' ').filter(Boolean);
    const unknown = requested.filter((scope) => !grantableScopes.has(scope));
    if (requested.length === 0 || unknown.length > 0) {
      const detail = requested.length === 0 ? 'scope is required' : `not offered: ${unknown.join(' ')}`;
      sendTokenError(res, 400, 'invalid_scope', detail);
      return;
    }

    // RFC 7523 §3: iss and sub are the client_id, aud names this token endpoint, exp is required;
    // §3.2: any failure of the client's JWT is invalid_client.
    let jti: unknown;
    let exp: number;
    try {
      const { payload } = await jwtVerify(assertion, context.toolKeySet, {
        issuer: context.clientId,
        subject: context.clientId,
        audience: tokenUrl,
        requiredClaims: ['exp', 'jti'],
        clockTolerance: 5,
      });
      jti = payload.jti;
      exp = payload.exp as number;
    } catch (error) {
      context.logger.info(
        { reason: (error as Error).message },
        'sandbox token endpoint refused a client assertion',
      );
      sendTokenError(res, 401, 'invalid_client', `client_assertion rejected: ${(error as Error).message}`);
      return;
    }
    if (typeof jti !== 'string' || jti === '') {
      sendTokenError(res, 401, 'invalid_client', 'client_assertion jti must be a non-empty string');
      return;
    }
    // A jti is kept until the assertion expires; after that exp alone refuses a replay.
    const expiresAt = new Date(Math.max(exp * 1000, Date.now()) + 60_000);
    if (!(await recordOneTimeValue(context.issuer, 'client-assertion-jti', jti, expiresAt))) {
      sendTokenError(res, 401, 'invalid_client', 'client_assertion jti was already used');
      return;
    }

    const accessToken = randomBytes(32).toString('base64url');
    await SandboxAccessToken.deleteMany({ expiresAt: { $lt: new Date() } });
    await SandboxAccessToken.create({
      issuer: context.issuer,
      tokenHash: hashToken(accessToken),
      scopes: requested,
      expiresAt: new Date(Date.now() + accessTokenLifetimeSeconds * 1000),
    });
    context.logger.debug({ scopes: requested }, 'sandbox issued an access token');
    // RFC 6749 §5.1: token responses are never cached.
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' }).json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: accessTokenLifetimeSeconds,
      scope: requested.join(' '),
    });
  });

  return router;
}

/**
 * Guards a service endpoint: a live Bearer token of this platform holding one of `acceptedScopes`.
 * RFC 6750 §3.1: no or bad token → 401 invalid_token; wrong scope → 403 insufficient_scope.
 */
export function requireScope(context: SandboxContext, ...acceptedScopes: string[]): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const token = match?.[1]
      ? await SandboxAccessToken.findOne({ tokenHash: hashToken(match[1]), issuer: context.issuer }).lean()
      : null;
    if (!token || token.expiresAt.getTime() <= Date.now()) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token"')
        .json({ error: { code: 'invalid_token', message: 'A valid Bearer access token is required.' } });
      return;
    }
    if (!acceptedScopes.some((scope) => token.scopes.includes(scope))) {
      res
        .status(403)
        .set('WWW-Authenticate', `Bearer error="insufficient_scope", scope="${acceptedScopes.join(' ')}"`)
        .json({
          error: { code: 'insufficient_scope', message: `Needs scope ${acceptedScopes.join(' or ')}.` },
        });
      return;
    }
    next();
  };
}
