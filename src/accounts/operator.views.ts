import type { Request, Response } from 'express';
import * as operator from './operatorPlatforms.service';

/** What a redirect's `?done=` tells the operator on the page it lands on. */
const notices: Record<string, string> = {
  'platform-added': 'The platform was registered and is active: its deployment may launch Rounds.',
  'platform-removed': 'The platform was removed. Its launches are refused; its tenants’ records stay.',
  'endpoints-updated': 'The name and endpoints were saved. The next launch uses them.',
  'deployment-added': 'The deployment was added. Its launches are accepted.',
  'deployment-removed': 'The deployment was removed. Its launches are refused; its records stay.',
  activated: 'The platform is active: its deployments may launch Rounds.',
  deactivated: 'The platform is inactive: its logins and launches are refused until it is activated again.',
  'change-approved': 'The proposed endpoints were approved and are in use.',
  'change-rejected': 'The proposal was rejected; the platform keeps its endpoints.',
};

/** Each "Add an LMS platform" field's input id, for the error summary's links. */
const newPlatformFieldIds: Record<string, string> = {
  issuer: 'issuer',
  clientId: 'client-id',
  deploymentId: 'deployment-id',
  authUrl: 'auth-url',
  tokenUrl: 'token-url',
  jwksUrl: 'jwks-url',
  name: 'name',
  reuseTenants: 'reuse-tenants',
};

const endpointFieldIds: Record<string, string> = {
  name: 'endpoint-name',
  authUrl: 'endpoint-auth-url',
  tokenUrl: 'endpoint-token-url',
  jwksUrl: 'endpoint-jwks-url',
};

/** A text field as it was typed ('' when absent or not text), so a refused form shows it again. */
export function typedText(body: unknown, name: string): string {
  const value = ((body ?? {}) as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}

/** The "Add an LMS platform" form as typed. */
export function typedNewPlatform(body: unknown) {
  const reuse = ((body ?? {}) as Record<string, unknown>).reuseTenants;
  return {
    issuer: typedText(body, 'issuer'),
    clientId: typedText(body, 'clientId'),
    deploymentId: typedText(body, 'deploymentId'),
    authUrl: typedText(body, 'authUrl'),
    tokenUrl: typedText(body, 'tokenUrl'),
    jwksUrl: typedText(body, 'jwksUrl'),
    name: typedText(body, 'name'),
    reuseTenants: (Array.isArray(reuse) ? reuse : [reuse]).filter(
      (id): id is string => typeof id === 'string',
    ),
  };
}

function noticeOf(req: Request): string | undefined {
  const done = req.query.done;
  // Own keys only: `?done=constructor` must not show Object's constructor.
  return typeof done === 'string' && Object.hasOwn(notices, done) ? notices[done] : undefined;
}

function summaryOf(errors: Record<string, string>, ids: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({
    href: `#${ids[field] ?? Object.values(ids)[0]}`,
    message,
  }));
}

/** `/admin/platforms` as an operator sees it: every platform and every pending proposal. */
export async function renderPlatforms(req: Request, res: Response): Promise<void> {
  const { platforms, proposals } = await operator.platformsOverview(req.account);
  res.render('accounts/operator-platforms', {
    title: 'LMS platforms',
    notice: noticeOf(req),
    platforms,
    proposals,
  });
}

/** "Add an LMS platform", blank or refused with its fields kept (and the tenants it would take over). */
export function renderNewPlatform(
  req: Request,
  res: Response,
  refused?: {
    form: ReturnType<typeof typedNewPlatform>;
    errors: Record<string, string>;
    reuse?: { id: string; deploymentId: string; name: string }[];
  },
): void {
  const errors = { ...(refused?.errors ?? {}) };
  if (refused?.reuse?.length) {
    errors.reuseTenants =
      'Rounds already holds records of this LMS deployment. Tick each tenant this registration may take over, or change the deployment ID.';
  }
  const summary = summaryOf(errors, newPlatformFieldIds);
  const form = refused?.form;
  res.render('accounts/operator-platform-new', {
    title: summary.length ? 'Error: Add an LMS platform' : 'Add an LMS platform',
    errors: summary,
    fieldErrors: errors,
    form: form ?? {},
    reuse: refused?.reuse?.map((tenant) => ({
      ...tenant,
      checked: form?.reuseTenants.includes(tenant.id) ?? false,
    })),
  });
}

/** A refused form on a platform's page: the endpoints form or the "Add a deployment ID" field. */
export interface PlatformPageRefusal {
  endpoints?: { form: Record<string, string>; errors: Record<string, string> };
  deployment?: { value: string; error: string };
}

/** One platform's page: its endpoints form, deployments, tenants, state and removal link. */
export async function renderPlatform(
  req: Request,
  res: Response,
  id: string,
  refused: PlatformPageRefusal = {},
): Promise<void> {
  const platform = await operator.platformFor(req.account, id);
  const endpointErrors = refused.endpoints?.errors ?? {};
  const errors = [
    ...summaryOf(endpointErrors, endpointFieldIds),
    ...(refused.deployment ? [{ href: '#deployment-id', message: refused.deployment.error }] : []),
  ];
  res.render('accounts/operator-platform', {
    title: errors.length ? `Error: ${platform.name}` : platform.name,
    notice: errors.length ? undefined : noticeOf(req),
    errors,
    platform,
    endpoints: refused.endpoints?.form ?? {
      name: platform.name,
      authUrl: platform.authUrl,
      tokenUrl: platform.tokenUrl,
      jwksUrl: platform.jwksUrl,
    },
    endpointErrors,
    deploymentValue: refused.deployment?.value ?? '',
    deploymentError: refused.deployment?.error,
  });
}
