import mongoose from 'mongoose';
import type { Platform } from '../lti/registration';
import { changeDeployments, findPlatformByIdentity } from '../lti/registration';
import type { Actor } from '../shared/auth/actor';
import { NotFoundError, ValidationError } from '../shared/errors';
import { TenantModel } from '../tenancy';
import { assertCanManageOwnPlatform } from './admin.policy';

/** The admin's own LMS platform as the page shows it: read-only identity and endpoints, its deployments. */
export interface OwnPlatform {
  name: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  active: boolean;
  /** The deployment the admin launched through; it cannot be removed from here. */
  ownDeploymentId: string;
  deployments: { id: string; own: boolean }[];
}

/** The platform of the actor's tenant; an admin never reaches another tenant's platform, whatever they send. */
async function ownPlatform(actor: Actor): Promise<{ platform: Platform; deploymentId: string }> {
  assertCanManageOwnPlatform(actor);
  const tenant = mongoose.isValidObjectId(actor.tenantId)
    ? await TenantModel.findById(actor.tenantId, { issuer: 1, clientId: 1, deploymentId: 1 }).lean()
    : null;
  const platform = tenant ? await findPlatformByIdentity(tenant.issuer, tenant.clientId) : undefined;
  if (!tenant || !platform)
    throw new NotFoundError('Your LMS platform is not registered with Rounds any more.');
  return { platform, deploymentId: tenant.deploymentId };
}

/** The admin's own platform and its deployments. */
export async function ownPlatformFor(actor: Actor): Promise<OwnPlatform> {
  const { platform, deploymentId } = await ownPlatform(actor);
  return {
    name: platform.name,
    issuer: platform.issuer,
    clientId: platform.clientId,
    authUrl: platform.authUrl,
    tokenUrl: platform.tokenUrl,
    jwksUrl: platform.jwksUrl,
    active: platform.active,
    ownDeploymentId: deploymentId,
    deployments: platform.deploymentIds.map((id) => ({ id, own: id === deploymentId })),
  };
}

/** Allows one more deployment of Rounds on the admin's own platform to launch. */
export async function addOwnDeployment(actor: Actor, deploymentId: string): Promise<void> {
  const { platform } = await ownPlatform(actor);
  await changeDeployments(platform.issuer, platform.clientId, { add: [deploymentId] });
}

/** Stops a deployment of the admin's own platform from launching (not the one they are using); records stay. */
export async function removeOwnDeployment(actor: Actor, deploymentId: string): Promise<void> {
  const { platform, deploymentId: own } = await ownPlatform(actor);
  if (deploymentId === own) {
    throw new ValidationError('You launched Rounds through this deployment.', {
      deploymentId:
        'This is the deployment you are signed in through; Rounds keeps it so you are not locked out.',
    });
  }
  if (!platform.deploymentIds.includes(deploymentId)) {
    throw new NotFoundError('That deployment is not registered for your LMS.');
  }
  await changeDeployments(platform.issuer, platform.clientId, { remove: [deploymentId] });
}
