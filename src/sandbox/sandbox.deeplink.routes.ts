import express, { type Request, type Response, type Router } from 'express';
import { jwtVerify, type JWTPayload } from 'jose';
import { z } from 'zod';
import { readDeepLinkingData } from './sandbox.claims';
import { placeActivity } from './sandbox.course';
import { renderSandboxError } from './sandbox.http';
import { recordOneTimeValue } from './sandbox.model';
import type { SandboxContext } from './sandbox.types';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** Deep Linking 2.0 §3.1 ltiResourceLink content item: the only type this platform accepts (accept_types). */
const contentItemSchema = z.object({
  type: z.literal('ltiResourceLink', { error: 'only ltiResourceLink items are accepted' }),
  title: z.string().optional(),
  text: z.string().optional(),
  url: z.url().optional(),
  custom: z.record(z.string(), z.string(), { error: 'custom values must be strings' }).optional(),
  lineItem: z
    .object({
      scoreMaximum: z.number().positive(),
      label: z.string().min(1).optional(),
      resourceId: z.string().optional(),
      tag: z.string().optional(),
    })
    .optional(),
});
const contentItemsSchema = z.array(contentItemSchema);

class DeepLinkingResponseError extends Error {}

/** Verifies a Deep Linking response JWT (Deep Linking 2.0 §4.5) and returns its claims and who asked for it. */
async function verifyResponse(
  context: SandboxContext,
  jwt: string,
): Promise<{ payload: JWTPayload; userId: string }> {
  let payload: JWTPayload;
  try {
    // §4.5: iss is the tool's client_id, aud the platform's issuer.
    ({ payload } = await jwtVerify(jwt, context.toolKeySet, {
      issuer: context.clientId,
      audience: context.issuer,
      requiredClaims: ['exp', 'iat', 'nonce'],
      clockTolerance: 5,
    }));
  } catch (error) {
    throw new DeepLinkingResponseError(`the JWT does not verify: ${(error as Error).message}`);
  }
  if (payload[`${lti}message_type`] !== 'LtiDeepLinkingResponse') {
    throw new DeepLinkingResponseError('message_type must be LtiDeepLinkingResponse');
  }
  if (payload[`${lti}version`] !== '1.3.0') throw new DeepLinkingResponseError('version must be 1.3.0');
  if (payload[`${lti}deployment_id`] !== context.deploymentId) {
    throw new DeepLinkingResponseError(`deployment_id must be ${context.deploymentId}`);
  }
  // §4.4.1: the tool must return the request's `data` unchanged; ours says who opened the picker.
  const userId = readDeepLinkingData(context, payload[`${dl}data`]);
  if (!userId) throw new DeepLinkingResponseError('data is missing, altered or expired');
  const nonce = payload.nonce;
  const expiresAt = new Date(Math.max((payload.exp ?? 0) * 1000, Date.now()) + 60_000);
  if (
    typeof nonce !== 'string' ||
    !(await recordOneTimeValue(context.issuer, 'deep-linking-nonce', nonce, expiresAt))
  ) {
    throw new DeepLinkingResponseError('nonce was already used');
  }
  return { payload, userId };
}

/** POST /deeplink/return: where the tool sends the instructor back with the activities to place. */
export function createDeepLinkRouter(context: SandboxContext): Router {
  const router = express.Router();

  router.post(
    '/deeplink/return',
    express.urlencoded({ extended: false }),
    async (req: Request, res: Response) => {
      const jwt = (req.body as Record<string, unknown> | undefined)?.JWT;
      const refuse = (message: string) =>
        renderSandboxError(
          req,
          res,
          400,
          'Activity not added',
          `The tool's deep-linking response was refused: ${message}.`,
        );
      if (typeof jwt !== 'string' || jwt === '') {
        refuse('the JWT form field is missing');
        return;
      }
      let verified: Awaited<ReturnType<typeof verifyResponse>>;
      try {
        verified = await verifyResponse(context, jwt);
      } catch (error) {
        if (!(error instanceof DeepLinkingResponseError)) throw error;
        context.logger.info({ reason: error.message }, 'sandbox refused a deep-linking response');
        refuse(error.message);
        return;
      }
      const { payload, userId } = verified;
      const parsed = contentItemsSchema.safeParse(payload[`${dl}content_items`] ?? []);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        refuse(`content_items.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
        return;
      }
      const placed: string[] = [];
      for (const item of parsed.data) {
        const title = item.title ?? 'Rounds activity';
        placed.push(
          await placeActivity(context.issuer, userId, {
            title,
            text: item.text ?? '',
            ...(item.url ? { url: item.url } : {}),
            custom: item.custom ?? {},
            ...(item.lineItem ? { lineItem: { ...item.lineItem, label: item.lineItem.label ?? title } } : {}),
          }),
        );
      }
      context.logger.info(
        { resourceLinkIds: placed, msg: payload[`${dl}msg`], errormsg: payload[`${dl}errormsg`] },
        'sandbox placed activities from deep linking',
      );
      res.redirect(303, `${req.baseUrl}/?placed=${placed.length}`);
    },
  );

  return router;
}
