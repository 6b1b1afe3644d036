// What the operator's platform pages show: every platform with its deployments, tenants, state and proposals.
import { findPlatform, listPlatformChanges, listPlatforms, type Platform } from '../lti/registration';
import type { AccountActor } from '../shared/auth/actor';
import { NotFoundError } from '../shared/errors';
import { TenantModel } from '../tenancy';
import { assertOperator } from './operator.policy';

export type PlatformState = 'active' | 'inactive' | 'pending';

const stateLabels: Record<PlatformState, string> = {
  active: 'Active',
  inactive: 'Inactive',
  pending: 'Waiting for approval',
};

/** One tenant (a deployment that has launched) as the operator's pages list it. */
export interface TenantSummary {
  id: string;
  deploymentId: string;
  name: string;
}

/** A registered platform as the operator's pages show it. */
export interface PlatformView {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  authUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  state: PlatformState;
  stateLabel: string;
  active: boolean;
  registeredByLms: boolean;
  deployments: { id: string; tenant?: TenantSummary }[];
  tenants: TenantSummary[];
  proposal?: ProposalView;
}

/** Endpoints an LMS proposed through Dynamic Registration for a registered platform, beside the current ones. */
export interface ProposalView {
  id: string;
  issuer: string;
  clientId: string;
  platformName: string;
  platformId?: string;
  proposedAt: string;
  rows: { label: string; now: string; proposed: string; changed: boolean }[];
  addsDeployments: string[];
}

function stateOf(platform: Platform): PlatformState {
  if (platform.active) return 'active';
  return platform.registeredBy === 'dynamic-registration' && !platform.approvedAt ? 'pending' : 'inactive';
}

async function tenantsByPlatform(): Promise<Map<string, TenantSummary[]>> {
  const tenants = await TenantModel.find({}, { issuer: 1, clientId: 1, deploymentId: 1, platformName: 1 })
    .sort({ deploymentId: 1 })
    .lean();
  const byPlatform = new Map<string, TenantSummary[]>();
  for (const tenant of tenants) {
    const key = `${tenant.issuer}\n${tenant.clientId}`;
    const list = byPlatform.get(key) ?? [];
    list.push({ id: String(tenant._id), deploymentId: tenant.deploymentId, name: tenant.platformName || '' });
    byPlatform.set(key, list);
  }
  return byPlatform;
}

function proposalView(entry: Awaited<ReturnType<typeof listPlatformChanges>>[number]): ProposalView {
  const { change, current } = entry;
  const rows = (
    [
      ['Authentication request URL', 'authUrl'],
      ['Access token URL', 'tokenUrl'],
      ['Public keyset URL', 'jwksUrl'],
    ] as const
  ).map(([label, key]) => ({
    label,
    now: current?.[key] ?? '',
    proposed: change[key],
    changed: current?.[key] !== change[key],
  }));
  return {
    id: String(change._id),
    issuer: change.issuer,
    clientId: change.clientId,
    platformName: current?.name ?? '',
    platformId: current ? String(current._id) : undefined,
    proposedAt: change.proposedAt.toISOString(),
    rows,
    addsDeployments: change.deploymentIds.filter((id) => !current?.deploymentIds.includes(id)),
  };
}

function platformView(
  platform: Platform,
  tenants: TenantSummary[],
  proposal: ProposalView | undefined,
): PlatformView {
  const state = stateOf(platform);
  return {
    id: String(platform._id),
    name: platform.name,
    issuer: platform.issuer,
    clientId: platform.clientId,
    authUrl: platform.authUrl,
    tokenUrl: platform.tokenUrl,
    jwksUrl: platform.jwksUrl,
    state,
    stateLabel: stateLabels[state],
    active: platform.active,
    registeredByLms: platform.registeredBy === 'dynamic-registration',
    deployments: platform.deploymentIds.map((id) => ({
      id,
      tenant: tenants.find((tenant) => tenant.deploymentId === id),
    })),
    tenants,
    proposal,
  };
}

/** Every registered platform with its deployments, tenants and state, and every pending proposal. */
export async function platformsOverview(
  account: AccountActor | undefined,
): Promise<{ platforms: PlatformView[]; proposals: ProposalView[] }> {
  assertOperator(account);
  const [platforms, changes, tenants] = await Promise.all([
    listPlatforms(),
    listPlatformChanges(),
    tenantsByPlatform(),
  ]);
  const proposals = changes.map(proposalView);
  const key = (item: { issuer: string; clientId: string }) => `${item.issuer}\n${item.clientId}`;
  return {
    platforms: platforms.map((platform) =>
      platformView(
        platform,
        tenants.get(key(platform)) ?? [],
        proposals.find((proposal) => key(proposal) === key(platform)),
      ),
    ),
    proposals,
  };
}

/** One platform, for its page and its removal's confirmation. */
export async function platformFor(account: AccountActor | undefined, id: string): Promise<PlatformView> {
  assertOperator(account);
  const platform = await findPlatform(id);
  if (!platform) throw new NotFoundError('That LMS platform is not registered (any more).');
  const [tenants, changes] = await Promise.all([
    TenantModel.find({ issuer: platform.issuer, clientId: platform.clientId })
      .sort({ deploymentId: 1 })
      .lean(),
    listPlatformChanges(),
  ]);
  const change = changes.find(
    ({ change }) => change.issuer === platform.issuer && change.clientId === platform.clientId,
  );
  return platformView(
    platform,
    tenants.map((tenant) => ({
      id: String(tenant._id),
      deploymentId: tenant.deploymentId,
      name: tenant.platformName || '',
    })),
    change ? proposalView(change) : undefined,
  );
}
