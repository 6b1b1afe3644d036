import express, { type Router } from 'express';
import type { Config } from '../config';
import { UnauthorizedError } from '../shared/errors';
import { signIn } from '../shared/http/session';
import { redeemHandoff } from './handoff.service';

/** The new window's end of a cookie-less frame launch: the one-time code becomes a first-party session. */
export function handoffRouter(config: Config): Router {
  const router = express.Router();
  router.post('/lti/session', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const handoff = await redeemHandoff((req.body as Record<string, unknown> | undefined)?.code);
    if (!handoff) {
      throw new UnauthorizedError(
        'This link has expired or was used already. Please open Rounds again from your course.',
      );
    }
    await signIn(res, handoff.actor, config);
    res.redirect(303, handoff.landing);
  });
  return router;
}
