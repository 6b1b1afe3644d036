import type { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../shared/auth/actor';
import { UnauthorizedError } from '../shared/errors';
import { RecentWrites } from '../shared/recentWrites';
import { CourseModel } from '../tenancy/course.model';
import { EnrollmentModel } from '../tenancy/enrollment.model';
import { roundsRoleFor } from '../tenancy/roles';
import { TenantModel } from '../tenancy/tenant.model';
import { UserModel } from '../tenancy/user.model';
import { webOriginOf } from './csp';
import type { Platform } from './platform.model';
import { rememberWebOrigins } from './platform.service';
import { recordResourceLink } from './resourceLink.service';

/** The validated launch as ltijs hands it over (its "platform token" with the context token inside). */
const ltijsLaunchSchema = z.object({
  iss: z.string().min(1),
  clientId: z.string().min(1),
  deploymentId: z.string().min(1),
  user: z.coerce.string().min(1),
  userInfo: z
    .object({
      given_name: z.string().optional(),
      family_name: z.string().optional(),
      name: z.string().optional(),
      email: z.string().optional(),
    })
    .partial()
    .optional(),
  platformInfo: z.object({ name: z.string().optional(), url: z.string().optional() }).partial().nullish(),
  platformContext: z.object({
    roles: z.array(z.string()).default([]),
    messageType: z.string().optional(),
    // LTI 1.3 §5.4.1: the context claim is optional; without one, Rounds has no course to work in.
    context: z.object({ id: z.string().min(1), title: z.string().optional(), label: z.string().optional() }),
    resource: z
      .object({ id: z.string().min(1), title: z.string().optional() })
      .partial()
      .nullish(),
    custom: z.record(z.string(), z.unknown()).nullish(),
    launchPresentation: z.object({ return_url: z.string().optional() }).partial().nullish(),
    // LTI AGS 2.0 §3.1 and NRPS 2.0 §3.6.1.1: present only when the platform enabled those services for the tool.
    endpoint: z
      .object({
        scope: z.array(z.string()).default([]),
        lineitems: z.string().optional(),
        lineitem: z.string().optional(),
      })
      .nullish(),
    namesRoles: z.object({ context_memberships_url: z.string() }).nullish(),
    // Deep Linking 2.0 §4.4.1: on an LtiDeepLinkingRequest, where and what to send back.
    deepLinkingSettings: z
      .object({
        deep_link_return_url: z.string().min(1),
        accept_types: z.array(z.string()).default([]),
        accept_multiple: z.boolean().optional(),
        accept_lineitem: z.boolean().optional(),
        data: z.string().optional(),
        title: z.string().optional(),
      })
      .nullish(),
  }),
});

export interface LaunchClaims {
  issuer: string;
  clientId: string;
  deploymentId: string;
  subject: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  platformName: string;
  roles: string[];
  messageType: string;
  context: { id: string; title: string; label: string };
  resourceLink?: { id: string; title: string };
  custom: Record<string, unknown>;
  /** Web origins of the LMS named in the signed launch (return URLs, platform URL): where its pages frame Rounds. */
  webOrigins: string[];
  /** Assignment and Grade Services endpoints for this link, when the platform offers them. */
  ags?: { scopes: string[]; lineItemsUrl?: string; lineItemUrl?: string };
  /** Names and Roles membership URL for this course, when the platform offers it. */
  nrps?: { membershipsUrl: string };
  /** Deep-linking settings, on an LtiDeepLinkingRequest (absent `accept_lineitem` counts as accepted). */
  deepLinking?: {
    returnUrl: string;
    acceptTypes: string[];
    acceptMultiple: boolean;
    acceptLineItem: boolean;
    data?: string;
    title?: string;
  };
}

/** Reads what Rounds needs from ltijs' launch token; anything missing is a refused launch. */
export function parseLaunch(token: unknown): LaunchClaims {
  const parsed = ltijsLaunchSchema.safeParse(token);
  if (!parsed.success) {
    throw new UnauthorizedError(
      'This launch is missing information Rounds needs (a course and a user). Please open Rounds from inside a course.',
      'lti_incomplete_launch',
    );
  }
  const { data } = parsed;
  const info = data.userInfo ?? {};
  return {
    issuer: data.iss,
    clientId: data.clientId,
    deploymentId: data.deploymentId,
    subject: data.user,
    name: info.name ?? [info.given_name, info.family_name].filter(Boolean).join(' '),
    givenName: info.given_name ?? '',
    familyName: info.family_name ?? '',
    email: info.email ?? '',
    platformName: data.platformInfo?.name ?? '',
    roles: data.platformContext.roles,
    messageType: data.platformContext.messageType ?? 'LtiResourceLinkRequest',
    context: {
      id: data.platformContext.context.id,
      title: data.platformContext.context.title ?? '',
      label: data.platformContext.context.label ?? '',
    },
    resourceLink: data.platformContext.resource?.id
      ? { id: data.platformContext.resource.id, title: data.platformContext.resource.title ?? '' }
      : undefined,
    custom: data.platformContext.custom ?? {},
    webOrigins: webOriginsOf([
      data.platformContext.launchPresentation?.return_url,
      data.platformContext.deepLinkingSettings?.deep_link_return_url,
      data.platformInfo?.url,
    ]),
    ags: data.platformContext.endpoint
      ? {
          scopes: data.platformContext.endpoint.scope,
          lineItemsUrl: data.platformContext.endpoint.lineitems,
          lineItemUrl: data.platformContext.endpoint.lineitem,
        }
      : undefined,
    nrps: data.platformContext.namesRoles
      ? { membershipsUrl: data.platformContext.namesRoles.context_memberships_url }
      : undefined,
    deepLinking: deepLinkingOf(data.platformContext.deepLinkingSettings),
  };
}

/** The distinct http(s) origins among the URLs given; anything else is ignored. */
function webOriginsOf(urls: (string | undefined)[]): string[] {
  return [...new Set(urls.map(webOriginOf).filter((origin) => origin !== undefined))];
}

function deepLinkingOf(
  settings: z.infer<typeof ltijsLaunchSchema>['platformContext']['deepLinkingSettings'],
): LaunchClaims['deepLinking'] {
  if (!settings) return undefined;
  return {
    returnUrl: settings.deep_link_return_url,
    acceptTypes: settings.accept_types,
    acceptMultiple: settings.accept_multiple ?? false,
    acceptLineItem: settings.accept_lineitem ?? true,
    ...(settings.data === undefined ? {} : { data: settings.data }),
    ...(settings.title === undefined ? {} : { title: settings.title }),
  };
}

const upsert = { upsert: true, new: true, setDefaultsOnInsert: true } as const;
const recentTenants = new RecentWrites<{ _id: Types.ObjectId; platformName: string }>();
const recentCourses = new RecentWrites<{ _id: Types.ObjectId; title: string; label: string }>();

/** The tenant for this deployment, created on its first launch; written again only when its name changes. */
async function upsertTenant(claims: LaunchClaims, platformName: string) {
  const key = JSON.stringify([claims.issuer, claims.clientId, claims.deploymentId]);
  const known = recentTenants.get(key);
  if (known?.platformName === platformName) return known;
  const tenant = await TenantModel.findOneAndUpdate(
    { issuer: claims.issuer, clientId: claims.clientId, deploymentId: claims.deploymentId },
    { $set: { platformName } },
    upsert,
  ).lean();
  recentTenants.set(key, { _id: tenant._id, platformName });
  return tenant;
}

/** The course for this context, created on its first launch; written again only when its title or label changes. */
async function upsertCourse(tenantId: Types.ObjectId, context: LaunchClaims['context']) {
  const key = JSON.stringify([String(tenantId), context.id]);
  const known = recentCourses.get(key);
  if (known && known.title === context.title && known.label === context.label) return known;
  const course = await CourseModel.findOneAndUpdate(
    { tenantId, contextId: context.id },
    { $set: { title: context.title, label: context.label } },
    upsert,
  ).lean();
  recentCourses.set(key, { _id: course._id, title: context.title, label: context.label });
  return course;
}

/**
 * Records a launch: creates or updates the tenant, the user, the course and the enrollment, and returns who is
 * acting. Each write is a single-document upsert keyed by a unique index, so a repeated launch is idempotent.
 * `platform` is the registration Rounds' launch check matched this token to (its deployment checked there).
 */
export async function recordLaunch(
  claims: LaunchClaims,
  platform: Platform,
  now = new Date(),
): Promise<Actor> {
  const tenant = await upsertTenant(claims, claims.platformName || platform.name);
  // User and course depend only on the tenant, so they are written side by side.
  const [user, course] = await Promise.all([
    UserModel.findOneAndUpdate(
      { tenantId: tenant._id, subject: claims.subject },
      {
        $set: {
          name: claims.name,
          givenName: claims.givenName,
          familyName: claims.familyName,
          email: claims.email,
          lastLaunchAt: now,
        },
      },
      upsert,
    ).lean(),
    upsertCourse(tenant._id, claims.context),
  ]);
  const role = roundsRoleFor(claims.roles);
  await Promise.all([
    EnrollmentModel.updateOne(
      { tenantId: tenant._id, courseId: course._id, userId: user._id },
      { $set: { ltiRoles: claims.roles, role, active: true } },
      { upsert: true },
    ),
    // The activity's AGS/NRPS endpoints, for grades and roster syncs sent later through the outbox.
    recordResourceLink(tenant._id, course._id, claims, now),
    rememberWebOrigins(platform, claims.webOrigins),
  ]);
  return {
    tenantId: String(tenant._id),
    userId: String(user._id),
    courseId: String(course._id),
    role,
    name: user.givenName || user.name,
  };
}
