import type { Types } from 'mongoose';
import { z } from 'zod';
import type { Actor } from '../../shared/auth/actor';
import { UnauthorizedError } from '../../shared/errors';
import { RecentWrites } from '../../shared/recentWrites';
import { CourseModel, EnrollmentModel, courseRoleFor, TenantModel, UserModel } from '../../tenancy';
import { parseProfession, type Profession } from '../../wellbeing/support';
import { webOriginOf } from '../../shared/http/csp';
import { type Platform, rememberWebOrigins } from '../registration';
import type { LaunchClaims } from '../launch.types';
import { recordResourceLink } from '../services';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
/** The claim names Rounds reads, as literal types so the schema below types each one. */
const claim = {
  deploymentId: `${lti}deployment_id`,
  messageType: `${lti}message_type`,
  roles: `${lti}roles`,
  context: `${lti}context`,
  resourceLink: `${lti}resource_link`,
  toolPlatform: `${lti}tool_platform`,
  custom: `${lti}custom`,
  launchPresentation: `${lti}launch_presentation`,
  ags: 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint',
  nrps: 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice',
  deepLinking: 'https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings',
} as const;

const optionalText = z.string().optional().catch(undefined);

/**
 * The claims of a verified id_token that Rounds reads (LTI 1.3 §5.3 required, §5.4 optional claims; the
 * Advantage claims of AGS §3.1, NRPS §3.6.1.1 and Deep Linking §4.4.1). The launch check has already verified the
 * signature and the required claims; this is the shape the rest of Rounds may rely on. Optional claims that
 * arrive malformed are dropped rather than failing the launch.
 */
const launchPayloadSchema = z.object({
  iss: z.string().min(1),
  sub: z.string().min(1),
  given_name: optionalText,
  family_name: optionalText,
  name: optionalText,
  email: optionalText,
  [claim.deploymentId]: z.string().min(1),
  [claim.messageType]: z.string().min(1),
  [claim.roles]: z.array(z.string()),
  // LTI 1.3 §5.4.1: the context claim is optional; without one, Rounds has no course to work in.
  [claim.context]: z.object({ id: z.string().min(1), title: optionalText, label: optionalText }),
  [claim.resourceLink]: z
    .object({ id: z.string().min(1), title: optionalText })
    .optional()
    .catch(undefined),
  [claim.toolPlatform]: z.object({ name: optionalText, url: optionalText }).optional().catch(undefined),
  [claim.custom]: z.record(z.string(), z.unknown()).optional().catch(undefined),
  [claim.launchPresentation]: z.object({ return_url: optionalText }).optional().catch(undefined),
  [claim.ags]: z
    .object({
      scope: z.array(z.string()).default([]),
      lineitems: optionalText,
      lineitem: optionalText,
    })
    .optional()
    .catch(undefined),
  [claim.nrps]: z
    .object({ context_memberships_url: z.string().min(1) })
    .optional()
    .catch(undefined),
  [claim.deepLinking]: z
    .object({
      deep_link_return_url: z.string().min(1),
      accept_types: z.array(z.string()).default([]),
      accept_multiple: z.boolean().optional().catch(undefined),
      accept_lineitem: z.boolean().optional().catch(undefined),
      data: optionalText,
      title: optionalText,
    })
    .optional()
    .catch(undefined),
});
type LaunchPayload = z.infer<typeof launchPayloadSchema>;

/**
 * Reads what Rounds needs from the claims its launch check verified; `clientId` is the registration the check
 * matched among the token's audiences. Anything missing is a refused launch.
 */
export function parseLaunch(payload: unknown, clientId: string): LaunchClaims {
  const parsed = launchPayloadSchema.safeParse(payload);
  if (!parsed.success) {
    throw new UnauthorizedError(
      'This launch is missing information Rounds needs (a course and a user). Please open Rounds from inside a course.',
      'lti_incomplete_launch',
    );
  }
  const data = parsed.data;
  const context = data[claim.context];
  const resource = data[claim.resourceLink];
  const platformInfo = data[claim.toolPlatform];
  const endpoint = data[claim.ags];
  const settings = data[claim.deepLinking];
  const memberships = data[claim.nrps];
  return {
    issuer: data.iss,
    clientId,
    deploymentId: data[claim.deploymentId],
    subject: data.sub,
    name: data.name ?? [data.given_name, data.family_name].filter(Boolean).join(' '),
    givenName: data.given_name ?? '',
    familyName: data.family_name ?? '',
    email: data.email ?? '',
    platformName: platformInfo?.name ?? '',
    roles: data[claim.roles],
    messageType: data[claim.messageType],
    context: { id: context.id, title: context.title ?? '', label: context.label ?? '' },
    resourceLink: resource ? { id: resource.id, title: resource.title ?? '' } : undefined,
    custom: data[claim.custom] ?? {},
    webOrigins: webOriginsOf([
      data[claim.launchPresentation]?.return_url,
      settings?.deep_link_return_url,
      platformInfo?.url,
    ]),
    ags: endpoint
      ? { scopes: endpoint.scope, lineItemsUrl: endpoint.lineitems, lineItemUrl: endpoint.lineitem }
      : undefined,
    nrps: memberships ? { membershipsUrl: memberships.context_memberships_url } : undefined,
    deepLinking: deepLinkingOf(settings),
  };
}

/** The distinct http(s) origins among the URLs given; anything else is ignored. */
function webOriginsOf(urls: (string | undefined)[]): string[] {
  return [...new Set(urls.map(webOriginOf).filter((origin) => origin !== undefined))];
}

function deepLinkingOf(settings: LaunchPayload[typeof claim.deepLinking]): LaunchClaims['deepLinking'] {
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

/** What this process last wrote for a person in a course, so a returning learner's launch writes nothing new. */
interface RememberedPerson {
  userId: Types.ObjectId;
  /** The user and enrollment values written (names, e-mail, roles). */
  fingerprint: string;
  /** When `lastLaunchAt` was last written: at most once an hour per person. */
  lastLaunchWrittenAt: number;
  /** The platform's roster generation then; a roster sync in any process bumps it, so this entry is stale. */
  rosterGeneration: number;
}
const lastLaunchIntervalMs = 3600_000;
const recentPeople = new RecentWrites<RememberedPerson>(20_000, lastLaunchIntervalMs);

/**
 * Records a launch: creates or updates the tenant, the user, the course and the enrollment, and returns who is
 * acting. Each write is a single-document upsert keyed by a unique index, so a repeated launch is idempotent.
 * What did not change since this process wrote it is not written again: a returning learner's launch writes
 * nothing here (lastLaunchAt at most hourly). A roster sync changes users and enrollments behind the launch's
 * back, in any process, so it bumps the platform's roster generation, which the launch read with the platform.
 * `platform` is the registration Rounds' launch check matched this token to (its deployment checked there).
 */
export async function recordLaunch(
  claims: LaunchClaims,
  platform: Platform,
  now = new Date(),
): Promise<Actor> {
  const tenant = await upsertTenant(claims, claims.platformName || platform.name);
  const role = courseRoleFor(claims.roles);
  const rosterGeneration = platform.rosterGeneration ?? 0;
  const personKey = JSON.stringify([String(tenant._id), claims.subject, claims.context.id]);
  // The LMS administrator's `profession` custom parameter, when it names one Rounds knows (README "Profession").
  const profession = parseProfession(claims.custom.profession);
  const fingerprint = JSON.stringify([
    claims.name,
    claims.givenName,
    claims.familyName,
    claims.email,
    claims.roles,
    profession,
  ]);
  const remembered = recentPeople.get(personKey, now.getTime());
  const unchanged =
    remembered?.fingerprint === fingerprint && remembered.rosterGeneration === rosterGeneration;
  const launchDue = !unchanged || now.getTime() - remembered.lastLaunchWrittenAt >= lastLaunchIntervalMs;
  // User and course depend only on the tenant, so they are written side by side.
  const [userId, course] = await Promise.all([
    launchDue ? writeUser(tenant._id, claims, profession, now) : remembered!.userId,
    upsertCourse(tenant._id, claims.context),
  ]);
  await Promise.all([
    unchanged
      ? undefined
      : EnrollmentModel.updateOne(
          { tenantId: tenant._id, courseId: course._id, userId },
          { $set: { ltiRoles: claims.roles, role, active: true } },
          { upsert: true },
        ),
    // The activity's AGS/NRPS endpoints, for grades and roster syncs sent later through the outbox.
    recordResourceLink(tenant._id, course._id, claims, now),
    rememberWebOrigins(platform, claims.webOrigins),
  ]);
  recentPeople.set(
    personKey,
    {
      userId,
      fingerprint,
      lastLaunchWrittenAt: launchDue ? now.getTime() : remembered!.lastLaunchWrittenAt,
      rosterGeneration,
    },
    now.getTime(),
  );
  return {
    tenantId: String(tenant._id),
    userId: String(userId),
    courseId: String(course._id),
    role,
    name: claims.givenName || claims.name,
    courseTitle: course.title || course.label || 'your course',
  };
}

/**
 * Creates or updates the person the launch names; returns their id. A profession from the LMS is stored only
 * where the learner has not chosen one themselves (their own choice, "prefer not to say" included, wins): a new
 * person gets it with the upsert; an existing one, whose stored value the upsert returns, only when it differs,
 * by a second write guarded on the source, so a returning learner's launch costs nothing more.
 */
async function writeUser(
  tenantId: Types.ObjectId,
  claims: LaunchClaims,
  profession: Profession | undefined,
  now: Date,
) {
  const user = await UserModel.findOneAndUpdate(
    { tenantId, subject: claims.subject },
    {
      $set: {
        name: claims.name,
        givenName: claims.givenName,
        familyName: claims.familyName,
        email: claims.email,
        lastLaunchAt: now,
      },
      ...(profession ? { $setOnInsert: { profession, professionSource: 'lms' } } : {}),
    },
    { ...upsert, projection: { _id: 1, profession: 1, professionSource: 1 } },
  ).lean();
  if (profession && user.professionSource !== 'learner' && user.profession !== profession) {
    await UserModel.updateOne(
      { _id: user._id, professionSource: { $ne: 'learner' } },
      { $set: { profession, professionSource: 'lms' } },
    );
  }
  return user._id;
}
