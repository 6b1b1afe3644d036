import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import { ValidationError } from '../shared/errors';
import { csrfProtection } from '../shared/http/csrf';
import { requireRole } from '../shared/http/requireRole';
import { fieldErrors } from '../shared/http/fieldErrors';
import { deploymentSchema } from './admin.schemas';
import * as platforms from './platforms.service';

const basePath = '/admin/platforms';

/** What a redirect's `?done=` tells the admin on the page it lands on. */
const notices: Record<string, string> = {
  'deployment-added': 'The deployment was added. Its launches are accepted.',
  'deployment-removed': 'The deployment was removed. Its launches are refused; its records stay.',
};

/** The "Add a deployment ID" field, or a remove button's deployment, as submitted, with its error. */
interface DeploymentInput {
  value: string;
  error: string;
  /** The remove button's deployment, when the error belongs to one. */
  removing?: string;
}

async function renderPlatformPage(req: Request, res: Response, deployment?: DeploymentInput) {
  const platform = await platforms.ownPlatformFor(req.actor!);
  const fieldId = deployment?.removing ? `remove-${deployment.removing}` : 'deployment-id';
  const errors = deployment ? [{ href: `#${fieldId}`, message: deployment.error }] : [];
  const notice = typeof req.query.done === 'string' ? notices[req.query.done] : undefined;
  res.render('admin/platforms', {
    title: errors.length ? 'Error: Your LMS platform' : 'Your LMS platform',
    notice: errors.length ? undefined : notice,
    errors,
    platform: {
      ...platform,
      deployments: platform.deployments.map((item) => ({
        ...item,
        error: deployment?.removing === item.id ? deployment.error : undefined,
      })),
    },
    deploymentValue: deployment && !deployment.removing ? deployment.value : '',
    deploymentError: deployment && !deployment.removing ? deployment.error : undefined,
  });
}

function deploymentValue(req: Request): string {
  const value = (req.body as Record<string, unknown> | undefined)?.deploymentId;
  return typeof value === 'string' ? value : '';
}

/**
 * `/admin/platforms`: an LMS administrator's view of their own tenant's platform, where they add and remove
 * deployments. Platforms themselves (add, remove, activate, endpoints) are the installation operator's: an operator
 * account's own view of this path (src/accounts/operator.routes.ts, mounted first) or `npx rounds platform …`.
 * Every change is a POST answered 303 → GET (with `?done=`).
 */
export function platformsAdminRouter({ config }: { config: Config }): Router {
  const router = Router();
  const done = (res: Response, what: keyof typeof notices) => res.redirect(303, `${basePath}?done=${what}`);

  router.use(basePath, requireRole('admin'), csrfProtection(config.sessionSecret));

  router.get(basePath, (req, res) => renderPlatformPage(req, res));

  router.post(`${basePath}/deployments`, async (req, res) => {
    const parsed = deploymentSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      const error = fieldErrors(parsed.error).deploymentId ?? 'Enter the deployment ID.';
      return renderPlatformPage(req, res, { value: deploymentValue(req), error });
    }
    await platforms.addOwnDeployment(req.actor!, parsed.data.deploymentId);
    done(res, 'deployment-added');
  });

  router.post(`${basePath}/deployments/remove`, async (req, res) => {
    const parsed = deploymentSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose a deployment to remove.');
    try {
      await platforms.removeOwnDeployment(req.actor!, parsed.data.deploymentId);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      const message = error.fields.deploymentId ?? error.message;
      return renderPlatformPage(req, res, {
        value: parsed.data.deploymentId,
        error: message,
        removing: parsed.data.deploymentId,
      });
    }
    done(res, 'deployment-removed');
  });

  return router;
}
