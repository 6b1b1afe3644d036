import { Router } from 'express';
import { publishedToolJwks } from './keys.service';

/**
 * GET /lti/keys: the tool's public keyset (RFC 7517), so every platform verifies the same keys and a rotation
 * keeps the previous key listed until it retires. Platforms may cache it for five minutes; a retiring key stays
 * listed far longer than that.
 */
export function toolKeysRouter(): Router {
  const router = Router();
  router.get('/lti/keys', async (_req, res) => {
    const jwks = await publishedToolJwks();
    res.set('Cache-Control', 'public, max-age=300').json(jwks);
  });
  return router;
}
