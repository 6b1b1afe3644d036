import { Router } from 'express';
import type { Config } from '../config';
import { AppError } from '../shared/errors';
import { allowCspSource } from './csp';
import type { Lti } from './provider';
import { registerDynamically } from './registration.service';

/**
 * `/lti/register`: LTI Dynamic Registration 1.0 (Moodle's "Add tool by URL"). Mounted before ltijs, whose own
 * registration route it replaces. Registration records the platform inactive; an admin activates it.
 */
export function registrationRouter(lti: Lti, config: Config): Router {
  const router = Router();
  router.get('/register', async (req, res) => {
    // The LMS frames this page but is not a registered platform yet, so frame-ancestors does not name it. Framing by
    // the origin that sent its configuration is safe: the page has nothing to click that acts on Rounds' data.
    allowCspSource(res, 'frame-ancestors', req.query.openid_configuration);
    res.set('Cache-Control', 'no-store');
    const { platform, deploymentId } = await registerDynamically(lti, config, req.query);
    req.log?.info(
      { issuer: platform.issuer, clientId: platform.clientId, deploymentId },
      'platform registered by Dynamic Registration; waiting for an admin to activate it',
    );
    res.render('lti/registered', {
      title: 'Rounds is registered',
      platformName: platform.name,
      issuer: platform.issuer,
      clientId: platform.clientId,
      deploymentId,
      active: platform.active,
    });
  });
  router.all('/register', (_req, _res, next) => {
    next(
      new AppError('Dynamic Registration starts with a GET from the LMS.', 405, 'method_not_allowed', true),
    );
  });
  return router;
}
