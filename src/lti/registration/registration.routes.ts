import { Router } from 'express';
import type { Config } from '../../config';
import { AppError } from '../../shared/errors';
import { registrationRateLimit } from '../../shared/http/rateLimit';
import { allowCspSource } from '../../shared/http/csp';
import { registerDynamically } from './registration.service';

/**
 * `/lti/register`: LTI Dynamic Registration 1.0 (Moodle's "Add tool by URL"). Registration records a new platform
 * inactive, or an existing one's new values as a proposal; an operator activates or approves.
 */
export function registrationRouter(config: Config): Router {
  const router = Router();
  // Anyone can open it and every registration makes Rounds call out and store a platform.
  router.use('/register', registrationRateLimit(config));
  router.get('/register', async (req, res) => {
    // The LMS frames this page but is not a registered platform yet, so frame-ancestors does not name it. Framing by
    // the origin that sent its configuration is safe: the page has nothing to click that acts on Rounds' data.
    allowCspSource(res, 'frame-ancestors', req.query.openid_configuration);
    res.set('Cache-Control', 'no-store');
    const { platform, deploymentId, proposedChange } = await registerDynamically(config, req.query);
    req.log?.info(
      { issuer: platform.issuer, clientId: platform.clientId, deploymentId },
      proposedChange
        ? 'Dynamic Registration proposed new values for a registered platform; waiting for an operator to approve'
        : 'platform registered by Dynamic Registration; waiting for an operator to activate it',
    );
    res.render('lti/registered', {
      title: proposedChange
        ? 'Your LMS sent new settings for Rounds'
        : platform.active
          ? 'Rounds is registered'
          : 'Rounds is registered, waiting for activation',
      platformName: platform.name,
      issuer: platform.issuer,
      clientId: platform.clientId,
      deploymentId,
      active: platform.active,
      proposedChange,
    });
  });
  router.all('/register', (_req, _res, next) => {
    next(
      new AppError('Dynamic Registration starts with a GET from the LMS.', 405, 'method_not_allowed', true),
    );
  });
  return router;
}
