import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { AppError, NotFoundError, ValidationError } from '../../shared/errors';
import {
  findTargetByKey,
  listTargets,
  landingPathForKey,
  targetKey,
  targetKindLabels,
  type PlaceableTarget,
  type TargetKind,
} from '../../targets';
import { DeepLinkRequestModel, type DeepLinkRequest } from './deeplink.model';
import { assertCanDeepLink, assertOwnsDeepLinkRequest } from './deeplink.policy';
import type { DeepLinkSelection } from './deeplink.schemas';
import { signToolJwt } from '../keys';
import type { LaunchClaims } from '../launch.types';

const lti = 'https://purl.imsglobal.org/spec/lti/claim/';
const dl = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/** The custom parameter a placed link carries (underscore only: Moodle turns other punctuation into `_`). */
export const targetParameter = 'rounds_target';
/** Deep Linking 2.0 §3.1 content item type; the only one Rounds returns. */
const resourceLinkType = 'ltiResourceLink';
const requestLifetimeMs = 60 * 60 * 1000;
const responseLifetimeSeconds = 300;

/**
 * Keeps a deep-linking request's settings for the picker and returns the picker's path; undefined for any
 * other message. Learners are refused (403) before anything is stored.
 */
export async function rememberDeepLinkRequest(
  actor: Actor,
  claims: LaunchClaims,
  now = new Date(),
): Promise<string | undefined> {
  if (claims.messageType !== 'LtiDeepLinkingRequest') return undefined;
  assertCanDeepLink(actor);
  const settings = claims.deepLinking;
  if (!settings) {
    throw new AppError(
      'Your LMS asked Rounds to add an activity but did not say where to send it back. Please try again from your course.',
      400,
      'lti_deep_linking_incomplete',
    );
  }
  await DeepLinkRequestModel.deleteMany({ expiresAt: { $lte: now } });
  const request = await DeepLinkRequestModel.create({
    tenantId: actor.tenantId,
    userId: actor.userId,
    courseId: actor.courseId,
    issuer: claims.issuer,
    clientId: claims.clientId,
    deploymentId: claims.deploymentId,
    returnUrl: settings.returnUrl,
    ...(settings.data === undefined ? {} : { data: settings.data }),
    acceptTypes: settings.acceptTypes,
    acceptMultiple: settings.acceptMultiple,
    acceptLineItem: settings.acceptLineItem,
    title: settings.title ?? '',
    createdAt: now,
    expiresAt: new Date(now.getTime() + requestLifetimeMs),
  });
  return `/lti/deeplink/${String(request._id)}`;
}

/** The target key (`module:<slug>`) a resource link launch names in its `rounds_target`, if well formed. */
export function launchTargetOf(claims: LaunchClaims): string | undefined {
  if (claims.messageType !== 'LtiResourceLinkRequest') return undefined;
  const value = claims.custom[targetParameter];
  if (typeof value !== 'string') return undefined;
  const key = value.trim();
  return landingPathForKey(key) ? key : undefined;
}

/** Where a launch of a placed link lands: the page of its `rounds_target`, or undefined for anything else. */
export function landingPathFor(claims: LaunchClaims): string | undefined {
  const key = launchTargetOf(claims);
  return key ? landingPathForKey(key) : undefined;
}

async function pendingRequest(actor: Actor, id: string, now: Date): Promise<DeepLinkRequest> {
  const request = mongoose.isValidObjectId(id)
    ? ((await DeepLinkRequestModel.findById(id).lean()) as DeepLinkRequest | null)
    : null;
  if (!request) {
    throw new NotFoundError('This request to add an activity was not found. Start again from your course.');
  }
  assertOwnsDeepLinkRequest(actor, request);
  if (request.usedAt) {
    throw new AppError(
      'Your choice was already sent to your course. To add more activities, start again from your course.',
      409,
      'deep_link_used',
    );
  }
  if (request.expiresAt <= now) {
    throw new AppError(
      'This request to add an activity has expired. Start again from your course.',
      400,
      'deep_link_expired',
    );
  }
  return request;
}

export interface DeepLinkPicker {
  id: string;
  /** Whether the platform takes LTI resource links at all (accept_types). */
  acceptsLinks: boolean;
  acceptMultiple: boolean;
  groups: {
    kind: TargetKind;
    legend: string;
    targets: { key: string; inputId: string; title: string; summary: string; scoreMaximum?: number }[];
  }[];
}

const groupLegends: Record<TargetKind, string> = {
  module: 'Well-being modules',
  reflection: 'Reflection assignments',
  'cme-claim': 'CME claim pages',
};

/** What the picker offers for this request: the catalogue, grouped by kind. */
export async function openDeepLinkPicker(
  actor: Actor,
  id: string,
  now = new Date(),
): Promise<DeepLinkPicker> {
  const request = await pendingRequest(actor, id, now);
  const kinds = Object.keys(targetKindLabels) as TargetKind[];
  const catalogue = await listTargets(actor.tenantId, String(request.courseId));
  return {
    id: String(request._id),
    acceptsLinks: request.acceptTypes.includes(resourceLinkType),
    acceptMultiple: request.acceptMultiple,
    groups: kinds.map((kind) => ({
      kind,
      legend: groupLegends[kind],
      targets: catalogue
        .filter((target) => target.kind === kind)
        .map((target) => ({
          key: targetKey(target),
          inputId: `target-${target.kind}-${target.id}`,
          title: target.title,
          summary: target.summary,
          ...(target.gradable && request.acceptLineItem
            ? { scoreMaximum: target.gradable.scoreMaximum }
            : {}),
        })),
    })),
  };
}

/** Resolves the chosen keys against the catalogue and what the platform accepts; field errors say what to fix. */
async function chosenTargets(request: DeepLinkRequest, keys: string[]): Promise<PlaceableTarget[]> {
  const unique = [...new Set(keys)];
  const targets = await Promise.all(
    unique.map((key) => findTargetByKey(key, String(request.tenantId), String(request.courseId))),
  );
  if (unique.length === 0)
    throw new ValidationError('Nothing chosen', { targets: 'Choose at least one activity to add.' });
  if (targets.some((target) => !target)) {
    throw new ValidationError('Unknown activity', { targets: 'Choose activities from the list.' });
  }
  if (!request.acceptTypes.includes(resourceLinkType)) {
    throw new ValidationError('Links not accepted', {
      targets: 'Your LMS does not accept Rounds activities here.',
    });
  }
  if (!request.acceptMultiple && unique.length > 1) {
    throw new ValidationError('One only', {
      targets: 'Your LMS takes one activity at a time here: choose one.',
    });
  }
  return targets as PlaceableTarget[];
}

/**
 * A Deep Linking 2.0 §3.1 LTI resource link. Its `url` is exactly the launch URL (platforms only launch
 * registered redirect URIs); the target travels in `custom`. Gradable targets bring a line item (§3.1.1.1).
 */
function contentItemFor(target: PlaceableTarget, publicUrl: string, acceptLineItem: boolean) {
  const key = targetKey(target);
  return {
    type: resourceLinkType,
    title: target.title,
    text: target.summary,
    url: `${publicUrl}/lti/launch`,
    custom: { [targetParameter]: key },
    ...(target.gradable && acceptLineItem
      ? { lineItem: { scoreMaximum: target.gradable.scoreMaximum, label: target.title, resourceId: key } }
      : {}),
  };
}

export interface DeepLinkAnswer {
  returnUrl: string;
  /** The signed LtiDeepLinkingResponse, to be posted as the `JWT` form field. */
  jwt: string;
  placed: PlaceableTarget[];
}

/**
 * Answers a deep-linking request once (Deep Linking 2.0 §4.5): the chosen targets as content items, or none when
 * the instructor cancels, signed with the tool key (iss = client_id, aud = the platform's issuer) and `data`
 * echoed unchanged.
 */
export async function answerDeepLinkRequest(
  actor: Actor,
  id: string,
  selection: DeepLinkSelection,
  publicUrl: string,
  now = new Date(),
): Promise<DeepLinkAnswer> {
  const request = await pendingRequest(actor, id, now);
  const placed = selection.action === 'cancel' ? [] : await chosenTargets(request, selection.targets);
  const claims: Record<string, unknown> = {
    iss: request.clientId,
    nonce: randomUUID(),
    [`${lti}deployment_id`]: request.deploymentId,
    [`${lti}message_type`]: 'LtiDeepLinkingResponse',
    [`${lti}version`]: '1.3.0',
    [`${dl}content_items`]: placed.map((target) => contentItemFor(target, publicUrl, request.acceptLineItem)),
    ...(request.data === undefined || request.data === null ? {} : { [`${dl}data`]: request.data }),
    ...(placed.length
      ? { [`${dl}msg`]: `Rounds added ${placed.length} ${placed.length === 1 ? 'activity' : 'activities'}.` }
      : {}),
  };
  const jwt = await signToolJwt(claims, {
    audience: request.issuer,
    expiresInSeconds: responseLifetimeSeconds,
  });
  // Used up only once the answer is signed: a failure before this leaves the instructor's request to retry.
  const claimed = await DeepLinkRequestModel.findOneAndUpdate(
    { _id: request._id, usedAt: { $exists: false } },
    { $set: { usedAt: now } },
  );
  if (!claimed) {
    throw new AppError('Your choice was already sent to your course.', 409, 'deep_link_used');
  }
  return { returnUrl: request.returnUrl, jwt, placed };
}
