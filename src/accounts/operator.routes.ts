import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Config } from '../config';
import { TenantReuseError } from '../lti/registration';
import { NotFoundError, ValidationError } from '../shared/errors';
import { csrfProtection } from '../shared/http/csrf';
import { fieldErrors } from '../shared/http/fieldErrors';
import { clientAddress } from '../shared/http/rateLimit';
import { holdsOperatorGrant } from './operator.policy';
import {
  activeSchema,
  decisionSchema,
  deploymentSchema,
  endpointsSchema,
  idParamsSchema,
  newPlatformSchema,
} from './operator.schemas';
import * as operator from './operator.service';
import { platformFor } from './operatorPlatforms.service';
import { tenantsOverview } from './operatorTenants.service';
import {
  renderNewPlatform,
  renderPlatform,
  renderPlatforms,
  typedNewPlatform,
  typedText,
} from './operator.views';
import { requireAccount } from './requireAccount';

const platformsPath = '/admin/platforms';

/** Who acts and from where, for the service's audit entry. */
const contextOf = (req: Request): operator.OperatorContext => ({
  account: req.account,
  address: clientAddress(req),
});

/** The platform or proposal id in the path; anything that is not an id is a page that does not exist. */
function idOf(req: Request): string {
  const parsed = idParamsSchema.safeParse(req.params);
  if (!parsed.success) throw new NotFoundError();
  return parsed.data.id;
}

/**
 * `/admin/platforms` is the operators' page when an account holding the operator grant asks; for anyone else this
 * router steps aside (`next('router')`) and the tenant admin's own view answers, unchanged.
 */
function onlyForOperatorAccounts(req: Request, _res: Response, next: NextFunction): void {
  next(holdsOperatorGrant(req.account) ? undefined : 'router');
}

/**
 * The installation operator's pages (issue 11): every LMS platform with its deployments, tenants, state and
 * pending proposals at `/admin/platforms`, and the changes `npx rounds platform …` makes, as forms under
 * `/operator/platforms`; every tenant and its admins at `/operator/tenants`. Everything under `/operator` needs
 * an operator account with its second factor checked (deny by default; an LTI session never passes). Every
 * change is a POST (CSRF) answered 303 → GET with a notice, and is audited by the service.
 */
export function operatorRouter({ config }: { config: Config }): Router {
  const router = Router();
  const csrf = csrfProtection(config.sessionSecret);
  const done = (res: Response, path: string, what: string) => res.redirect(303, `${path}?done=${what}`);
  const platformPath = (id: string) => `/operator/platforms/${id}`;

  router.get(platformsPath, onlyForOperatorAccounts, requireAccount('operator'), csrf, (req, res) =>
    renderPlatforms(req, res),
  );
  router.use('/operator', requireAccount('operator'), csrf);

  router.get('/operator/platforms', (_req, res) => res.redirect(303, platformsPath));
  router.get('/operator/platforms/new', (req, res) => renderNewPlatform(req, res));

  router.post('/operator/platforms', async (req, res) => {
    const parsed = newPlatformSchema.safeParse(req.body ?? {});
    const form = typedNewPlatform(req.body);
    if (!parsed.success) {
      res.status(400);
      return renderNewPlatform(req, res, { form, errors: fieldErrors(parsed.error) });
    }
    try {
      const platform = await operator.addPlatform(contextOf(req), parsed.data);
      done(res, platformPath(String(platform._id)), 'platform-added');
    } catch (error) {
      if (error instanceof TenantReuseError) {
        res.status(409);
        return renderNewPlatform(req, res, { form, errors: {}, reuse: error.tenants });
      }
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderNewPlatform(req, res, { form, errors: error.fields });
    }
  });

  router.get('/operator/platforms/:id', (req, res) => renderPlatform(req, res, idOf(req)));

  router.post('/operator/platforms/:id/endpoints', async (req, res) => {
    const id = idOf(req);
    const parsed = endpointsSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      const form = {
        name: typedText(req.body, 'name'),
        authUrl: typedText(req.body, 'authUrl'),
        tokenUrl: typedText(req.body, 'tokenUrl'),
        jwksUrl: typedText(req.body, 'jwksUrl'),
      };
      return renderPlatform(req, res, id, { endpoints: { form, errors: fieldErrors(parsed.error) } });
    }
    await operator.updateEndpoints(contextOf(req), id, parsed.data);
    done(res, platformPath(id), 'endpoints-updated');
  });

  router.post('/operator/platforms/:id/deployments', async (req, res) => {
    const id = idOf(req);
    const parsed = deploymentSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      const error = fieldErrors(parsed.error).deploymentId ?? 'Enter the deployment ID.';
      return renderPlatform(req, res, id, {
        deployment: { value: typedText(req.body, 'deploymentId'), error },
      });
    }
    await operator.changeDeployment(contextOf(req), id, { add: parsed.data.deploymentId });
    done(res, platformPath(id), 'deployment-added');
  });

  router.post('/operator/platforms/:id/deployments/remove', async (req, res) => {
    const id = idOf(req);
    const parsed = deploymentSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose a deployment to remove.');
    await operator.changeDeployment(contextOf(req), id, { remove: parsed.data.deploymentId });
    done(res, platformPath(id), 'deployment-removed');
  });

  router.post('/operator/platforms/:id/active', async (req, res) => {
    const id = idOf(req);
    const parsed = activeSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose whether to activate or deactivate the platform.');
    const active = parsed.data.active === 'yes';
    await operator.setActive(contextOf(req), id, active);
    done(res, platformPath(id), active ? 'activated' : 'deactivated');
  });

  router.get('/operator/platforms/:id/remove', async (req, res) => {
    const platform = await platformFor(req.account, idOf(req));
    res.render('accounts/operator-platform-remove', { title: `Remove ${platform.name}?`, platform });
  });

  router.post('/operator/platforms/:id/remove', async (req, res) => {
    await operator.removeRegisteredPlatform(contextOf(req), idOf(req));
    done(res, platformsPath, 'platform-removed');
  });

  router.post('/operator/proposals/:id', async (req, res) => {
    const id = idOf(req);
    const parsed = decisionSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose whether to approve or reject the proposal.');
    const approve = parsed.data.decision === 'approve';
    await operator.decideProposal(contextOf(req), id, { approve, proposedAt: parsed.data.proposedAt });
    done(res, platformsPath, approve ? 'change-approved' : 'change-rejected');
  });

  router.get('/operator/tenants', async (req, res) => {
    const tenants = await tenantsOverview(req.account);
    res.render('accounts/operator-tenants', { title: 'Tenants', tenants });
  });

  return router;
}
