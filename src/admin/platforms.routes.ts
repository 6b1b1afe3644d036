import { Router, type Request, type Response } from 'express';
import type { Config } from '../config';
import type { Lti } from '../lti/provider';
import { allowsPlainHttp } from '../lti/registration.service';
import { ValidationError } from '../shared/errors';
import { csrfProtection } from '../shared/http/csrf';
import { requireRole } from '../shared/http/requireRole';
import {
  addPlatformSchema,
  deploymentSchema,
  fieldErrors,
  platformFormFields,
  type PlatformFormField,
} from './admin.schemas';
import * as platforms from './platforms.service';

const basePath = '/admin/platforms';

/** Labels and hints in the words of the LMS screens the values are copied from (Moodle's tool details). */
const fieldText: Record<PlatformFormField, { label: string; hint: string; type: 'text' | 'url' }> = {
  name: { label: 'Name', hint: 'How Rounds lists this LMS, for example “St. Luke’s Moodle”.', type: 'text' },
  issuer: {
    label: 'Issuer (Platform ID)',
    hint: 'Moodle: the site address, for example https://moodle.example.org. Canvas: https://canvas.instructure.com.',
    type: 'url',
  },
  clientId: { label: 'Client ID', hint: 'The client ID the LMS gave Rounds.', type: 'text' },
  deploymentId: {
    label: 'Deployment ID',
    hint: 'More deployments can be added once the platform is registered.',
    type: 'text',
  },
  authUrl: {
    label: 'Authentication request URL',
    hint: 'Moodle: …/mod/lti/auth.php. Canvas: https://sso.canvaslms.com/api/lti/authorize_redirect.',
    type: 'url',
  },
  tokenUrl: {
    label: 'Access token URL',
    hint: 'Moodle: …/mod/lti/token.php. Canvas: https://sso.canvaslms.com/login/oauth2/token.',
    type: 'url',
  },
  jwksUrl: {
    label: 'Public keyset URL',
    hint: 'Moodle: …/mod/lti/certs.php. Canvas: https://sso.canvaslms.com/api/lti/security/jwks.',
    type: 'url',
  },
};

/** What a redirect's `?done=` tells the admin on the page it lands on. */
const notices: Record<string, string> = {
  added: 'The platform was added. It is active: its deployment can launch Rounds.',
  activated: 'The platform was activated. Its deployments can launch Rounds.',
  deactivated: 'The platform was deactivated. Its launches are refused until it is activated again.',
  'deployment-added': 'The deployment was added.',
  'deployment-removed': 'The deployment was removed. Its launches are refused.',
  removed: 'The platform was removed.',
};

interface PageState {
  /** The add form as submitted, with its errors. */
  form?: { values: Record<string, unknown>; errors: Record<string, string> };
  /** A platform's "Add a deployment ID" field as submitted, with its error. */
  deployment?: { platformId: string; value: string; error: string };
}

function formValue(values: Record<string, unknown> | undefined, field: string): string {
  const value = values?.[field];
  return typeof value === 'string' ? value : '';
}

async function renderPlatformsPage(req: Request, res: Response, config: Config, state: PageState = {}) {
  const list = await platforms.listPlatformsFor(req.actor!);
  const formErrors = state.form?.errors ?? {};
  const fields = platformFormFields.map((field) => ({
    name: field,
    id: `platform-${field}`,
    ...fieldText[field],
    value: formValue(state.form?.values, field),
    error: formErrors[field],
  }));
  const errors = [
    ...fields.filter((field) => field.error).map((field) => ({ href: `#${field.id}`, message: field.error })),
    ...(state.deployment
      ? [{ href: `#deployment-${state.deployment.platformId}`, message: state.deployment.error }]
      : []),
  ];
  const notice = typeof req.query.done === 'string' ? notices[req.query.done] : undefined;
  res.render('admin/platforms', {
    title: errors.length ? 'Error: LMS platforms' : 'LMS platforms',
    notice: errors.length ? undefined : notice,
    errors,
    fields,
    registrationUrl: `${config.publicUrl}/lti/register`,
    platforms: list.map((platform) => ({
      ...platform,
      deploymentValue: state.deployment?.platformId === platform.id ? state.deployment.value : '',
      deploymentError: state.deployment?.platformId === platform.id ? state.deployment.error : undefined,
    })),
  });
}

/**
 * `/admin/platforms`: the LMS platforms that may launch Rounds, for administrators. The same operations as
 * `npx rounds platform …` and `deployment …`. Every change is a POST answered 303 → GET (with `?done=`).
 */
export function platformsAdminRouter({ lti, config }: { lti: Lti; config: Config }): Router {
  const router = Router();
  const done = (res: Response, what: keyof typeof notices) => res.redirect(303, `${basePath}?done=${what}`);

  router.use(basePath, requireRole('admin'), csrfProtection(config.sessionSecret));

  router.get(basePath, (req, res) => renderPlatformsPage(req, res, config));

  router.post(basePath, async (req, res) => {
    const values = (req.body ?? {}) as Record<string, unknown>;
    const parsed = addPlatformSchema({ httpsOnly: !allowsPlainHttp(config) }).safeParse(values);
    if (!parsed.success) {
      res.status(400);
      return renderPlatformsPage(req, res, config, { form: { values, errors: fieldErrors(parsed.error) } });
    }
    try {
      await platforms.addPlatform(req.actor!, lti, parsed.data);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderPlatformsPage(req, res, config, { form: { values, errors: error.fields } });
    }
    done(res, 'added');
  });

  for (const [action, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    router.post(`${basePath}/:id/${action}`, async (req, res) => {
      await platforms.setActive(req.actor!, lti, req.params.id as string, active);
      done(res, active ? 'activated' : 'deactivated');
    });
  }

  router.post(`${basePath}/:id/deployments`, async (req, res) => {
    const platformId = req.params.id as string;
    const parsed = deploymentSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      const value = formValue(req.body as Record<string, unknown>, 'deploymentId');
      const error = fieldErrors(parsed.error).deploymentId ?? 'Enter the deployment ID.';
      return renderPlatformsPage(req, res, config, { deployment: { platformId, value, error } });
    }
    await platforms.addDeployment(req.actor!, platformId, parsed.data.deploymentId);
    done(res, 'deployment-added');
  });

  router.post(`${basePath}/:id/deployments/remove`, async (req, res) => {
    const parsed = deploymentSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose a deployment to remove.');
    await platforms.removeDeployment(req.actor!, req.params.id as string, parsed.data.deploymentId);
    done(res, 'deployment-removed');
  });

  router.get(`${basePath}/:id/remove`, async (req, res) => {
    const platform = await platforms.platformFor(req.actor!, req.params.id as string);
    res.render('admin/platform-remove', { title: `Remove ${platform.name}?`, platform });
  });

  router.post(`${basePath}/:id/remove`, async (req, res) => {
    await platforms.removePlatformById(req.actor!, lti, req.params.id as string);
    done(res, 'removed');
  });

  return router;
}
