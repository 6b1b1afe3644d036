import { PlatformModel, type Platform } from '../lti/platform.model';
import {
  changeDeployments,
  findPlatform,
  listPlatforms,
  registerPlatform,
  removePlatform,
  setPlatformActive,
} from '../lti/platform.service';
import type { Lti } from '../lti/provider';
import type { Actor } from '../shared/auth/actor';
import { NotFoundError, ValidationError } from '../shared/errors';
import { assertCanManagePlatforms } from './admin.policy';
import type { AddPlatformInput } from './admin.schemas';

/** A registered LMS as the admin page lists it. */
export interface PlatformSummary {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  deploymentIds: string[];
  active: boolean;
}

function summarize(platform: Platform): PlatformSummary {
  return {
    id: String(platform._id),
    name: platform.name,
    issuer: platform.issuer,
    clientId: platform.clientId,
    deploymentIds: [...platform.deploymentIds],
    active: platform.active,
  };
}

async function platformOrThrow(id: string): Promise<Platform> {
  const platform = await findPlatform(id);
  if (!platform) throw new NotFoundError('That LMS platform is not registered (any more).');
  return platform;
}

/** Every registered platform, inactive ones (waiting for approval) first. */
export async function listPlatformsFor(actor: Actor): Promise<PlatformSummary[]> {
  assertCanManagePlatforms(actor);
  const platforms = (await listPlatforms()).map(summarize);
  return platforms.sort((a, b) => Number(a.active) - Number(b.active));
}

/** One platform, for the remove confirmation. */
export async function platformFor(actor: Actor, id: string): Promise<PlatformSummary> {
  assertCanManagePlatforms(actor);
  return summarize(await platformOrThrow(id));
}

/**
 * Registers a platform typed in by an admin, active at once. An issuer and client ID already registered is a
 * field error rather than a silent update of its endpoints.
 */
export async function addPlatform(actor: Actor, lti: Lti, input: AddPlatformInput): Promise<PlatformSummary> {
  assertCanManagePlatforms(actor);
  if (await PlatformModel.exists({ issuer: input.issuer, clientId: input.clientId })) {
    throw new ValidationError('That platform is already registered.', {
      clientId: 'This issuer and client ID are already registered. Add the deployment to it below instead.',
    });
  }
  const platform = await registerPlatform(lti, {
    issuer: input.issuer,
    clientId: input.clientId,
    deploymentIds: [input.deploymentId],
    name: input.name,
    authUrl: input.authUrl,
    tokenUrl: input.tokenUrl,
    jwksUrl: input.jwksUrl,
  });
  return summarize(platform);
}

/** Activates or deactivates a platform; an inactive platform's logins and launches are refused. */
export async function setActive(
  actor: Actor,
  lti: Lti,
  id: string,
  active: boolean,
): Promise<PlatformSummary> {
  assertCanManagePlatforms(actor);
  const platform = await platformOrThrow(id);
  await setPlatformActive(lti, platform.issuer, platform.clientId, active);
  return { ...summarize(platform), active };
}

/** Allows one more deployment of Rounds on this platform to launch. */
export async function addDeployment(actor: Actor, id: string, deploymentId: string): Promise<void> {
  assertCanManagePlatforms(actor);
  const platform = await platformOrThrow(id);
  await changeDeployments(platform.issuer, platform.clientId, { add: [deploymentId] });
}

/** Stops a deployment from launching; its tenant's records stay. */
export async function removeDeployment(actor: Actor, id: string, deploymentId: string): Promise<void> {
  assertCanManagePlatforms(actor);
  const platform = await platformOrThrow(id);
  await changeDeployments(platform.issuer, platform.clientId, { remove: [deploymentId] });
}

/** Removes a platform from Rounds (and ltijs); the records of its tenants stay. */
export async function removePlatformById(actor: Actor, lti: Lti, id: string): Promise<PlatformSummary> {
  assertCanManagePlatforms(actor);
  const platform = await platformOrThrow(id);
  await removePlatform(lti, platform.issuer, platform.clientId);
  return summarize(platform);
}
