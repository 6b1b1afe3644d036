// The operator's changes to LMS platforms, each what an `npx rounds platform …` command does, checked and audited.
import {
  changeDeployments,
  decidePlatformChange,
  findPlatform,
  listPlatformChanges,
  registerPlatform,
  removePlatform,
  setPlatformActive,
  TenantReuseError,
  updatePlatform,
  type Platform,
} from '../lti/registration';
import type { AccountActor } from '../shared/auth/actor';
import { ConflictError, NotFoundError, ValidationError } from '../shared/errors';
import { recordAccountEvent } from './accounts.service';
import { assertOperator } from './operator.policy';
import type { EndpointsInput, NewPlatformInput } from './operator.schemas';

/** Who acts, and from where (the audit's `address`): services never see the request itself. */
export interface OperatorContext {
  account: AccountActor | undefined;
  address: string;
}

/** Records an operator's change for the security review; names the platform, never a secret. */
async function audit(context: OperatorContext, account: AccountActor, detail: string): Promise<void> {
  await recordAccountEvent('operator-action', {
    accountId: account.accountId,
    address: context.address,
    detail: detail.slice(0, 300),
  });
}

const platformDetail = (platform: Pick<Platform, 'issuer' | 'clientId'>) =>
  `issuer=${platform.issuer} client=${platform.clientId}`;

async function platformById(id: string): Promise<Platform> {
  const platform = await findPlatform(id);
  if (!platform) throw new NotFoundError('That LMS platform is not registered (any more).');
  return platform;
}

/**
 * Registers a platform as `npx rounds platform add` does (active at once). Already registered → a field error on
 * the client ID; tenants an earlier registration left → `TenantReuseError` until each is named in `reuseTenants`.
 */
export async function addPlatform(context: OperatorContext, input: NewPlatformInput): Promise<Platform> {
  const account = context.account;
  assertOperator(account);
  const { reuseTenants, deploymentId, name, ...identity } = input;
  let platform: Platform;
  try {
    platform = await registerPlatform(
      { ...identity, deploymentIds: [deploymentId], name: name ?? new URL(identity.issuer).host },
      { reuseTenants },
    );
  } catch (error) {
    if (error instanceof ConflictError && !(error instanceof TenantReuseError)) {
      throw new ValidationError('This issuer and client ID are already registered.', {
        clientId: 'This issuer and client ID are already registered: change that platform instead.',
      });
    }
    throw error;
  }
  const reused = reuseTenants.length ? ` reused-tenants=${reuseTenants.join(',')}` : '';
  await audit(context, account, `platform-added ${platformDetail(platform)}${reused}`);
  return platform;
}

/** Changes a platform's name and endpoints (`platform update`): re-keying after the LMS moved or rotated. */
export async function updateEndpoints(
  context: OperatorContext,
  id: string,
  input: EndpointsInput,
): Promise<void> {
  const account = context.account;
  assertOperator(account);
  const platform = await platformById(id);
  await updatePlatform(platform.issuer, platform.clientId, input);
  await audit(context, account, `platform-updated ${platformDetail(platform)}`);
}

/** Allows or stops a deployment's launches (`deployment add|remove`); a removed one's records stay. */
export async function changeDeployment(
  context: OperatorContext,
  id: string,
  change: { add: string } | { remove: string },
): Promise<void> {
  const account = context.account;
  assertOperator(account);
  const platform = await platformById(id);
  if ('remove' in change && !platform.deploymentIds.includes(change.remove)) {
    throw new NotFoundError('That deployment is not registered for this platform.');
  }
  const [verb, deploymentId] = 'add' in change ? ['added', change.add] : ['removed', change.remove];
  await changeDeployments(
    platform.issuer,
    platform.clientId,
    'add' in change ? { add: [change.add] } : { remove: [change.remove] },
  );
  await audit(context, account, `deployment-${verb} ${platformDetail(platform)} deployment=${deploymentId}`);
}

/** Activates (approving a Dynamic Registration) or deactivates a platform (`platform activate [--inactive]`). */
export async function setActive(context: OperatorContext, id: string, active: boolean): Promise<void> {
  const account = context.account;
  assertOperator(account);
  const platform = await platformById(id);
  await setPlatformActive(platform.issuer, platform.clientId, active);
  await audit(
    context,
    account,
    `platform-${active ? 'activated' : 'deactivated'} ${platformDetail(platform)}`,
  );
}

/** Removes a platform (`platform remove`); its tenants' records stay, and re-adding it must name them. */
export async function removeRegisteredPlatform(context: OperatorContext, id: string): Promise<void> {
  const account = context.account;
  assertOperator(account);
  const platform = await platformById(id);
  await removePlatform(platform.issuer, platform.clientId);
  await audit(context, account, `platform-removed ${platformDetail(platform)}`);
}

/**
 * Approves or rejects an LMS's proposed endpoints (`platform approve-change|reject-change`). `proposedAt` is the
 * proposal the operator read: a newer one filed since is refused, so nobody approves keys they never saw.
 */
export async function decideProposal(
  context: OperatorContext,
  id: string,
  decision: { approve: boolean; proposedAt: string },
): Promise<void> {
  const account = context.account;
  assertOperator(account);
  const entry = (await listPlatformChanges()).find(({ change }) => String(change._id) === id);
  if (!entry) throw new NotFoundError('That proposal was already decided or has expired.');
  const { change } = entry;
  if (change.proposedAt.toISOString() !== new Date(decision.proposedAt).toISOString()) {
    throw new ConflictError('The LMS proposed newer values since you opened the page. Review them again.');
  }
  await decidePlatformChange(change.issuer, change.clientId, decision.approve);
  await audit(
    context,
    account,
    `platform-change-${decision.approve ? 'approved' : 'rejected'} ${platformDetail(change)}`,
  );
}
