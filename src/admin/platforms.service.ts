import mongoose from 'mongoose';
import { type Platform, changeDeployments, findPlatformByIdentity } from '../lti/registration';
import type { Actor } from '../shared/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../shared/errors';
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
  /**
   * Other organizations launch through this registration too (one issuer and client ID, a deployment each: a
   * Canvas inherited developer key). Its deployments are then the operator's: the admin sees and changes only theirs.
   */
  shared: boolean;
  deployments: { id: string; own: boolean }[];
}

/** The platform of the actor's tenant; an admin never reaches another tenant's platform, whatever they send. */
async function ownPlatform(
  actor: Actor,
): Promise<{ platform: Platform; deploymentId: string; shared: boolean }> {
  assertCanManageOwnPlatform(actor);
  const tenant = mongoose.isValidObjectId(actor.tenantId)
    ? await TenantModel.findById(actor.tenantId, { issuer: 1, clientId: 1, deploymentId: 1 }).lean()
    : null;
  const platform = tenant ? await findPlatformByIdentity(tenant.issuer, tenant.clientId) : undefined;
  if (!tenant || !platform)
    throw new NotFoundError('Your LMS platform is not registered with Rounds any more.');
  const otherTenant = await TenantModel.exists({
    issuer: tenant.issuer,
    clientId: tenant.clientId,
    deploymentId: { $ne: tenant.deploymentId },
  });
  return { platform, deploymentId: tenant.deploymentId, shared: otherTenant !== null };
}

/** A registration other organizations launch through too: one organization's admin must not change theirs. */
function assertNotShared(shared: boolean): void {
  if (shared) {
    throw new ForbiddenError(
      'Other organizations launch Rounds through this LMS registration too, so the Rounds operator manages its deployments.',
    );
  }
}

/** The admin's own platform and its deployments. */
export async function ownPlatformFor(actor: Actor): Promise<OwnPlatform> {
  const { platform, deploymentId, shared } = await ownPlatform(actor);
  const deploymentIds = shared ? [deploymentId] : platform.deploymentIds;
  return {
    name: platform.name,
    issuer: platform.issuer,
    clientId: platform.clientId,
    authUrl: platform.authUrl,
    tokenUrl: platform.tokenUrl,
    jwksUrl: platform.jwksUrl,
    active: platform.active,
    ownDeploymentId: deploymentId,
    shared,
    deployments: deploymentIds.map((id) => ({ id, own: id === deploymentId })),
  };
}

/** Allows one more deployment of Rounds on the admin's own platform to launch. */
export async function addOwnDeployment(actor: Actor, deploymentId: string): Promise<void> {
  const { platform, shared } = await ownPlatform(actor);
  assertNotShared(shared);
  await changeDeployments(platform.issuer, platform.clientId, { add: [deploymentId] });
}

/** Stops a deployment of the admin's own platform from launching (not the one they are using); records stay. */
export async function removeOwnDeployment(actor: Actor, deploymentId: string): Promise<void> {
  const { platform, deploymentId: own, shared } = await ownPlatform(actor);
  assertNotShared(shared);
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
