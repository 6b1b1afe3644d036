import express from 'express';
import { createRemoteJWKSet } from 'jose';
import type { PlatformRegistration } from '../lti/registration';
import { NotFoundError } from '../shared/errors';
import { createAgsRouter } from './sandbox.ags.routes';
import { createAuthRouter } from './sandbox.auth.routes';
import {
  buildLaunchClaims,
  buildLoginInitiationUrl,
  deepLinkingHint,
  encodeMessageHint,
  sandboxUrls,
} from './sandbox.claims';
import { createDeepLinkRouter } from './sandbox.deeplink.routes';
import { listPlacedActivities, placeActivity } from './sandbox.course';
import { sandboxErrorHandler } from './sandbox.http';
import { loadSigningKey } from './sandbox.keys';
import { ensureSandboxIndexes } from './sandbox.model';
import { createNrpsRouter } from './sandbox.nrps.routes';
import { createPagesRouter } from './sandbox.pages.routes';
import { createRegistrationRouter } from './sandbox.registration.routes';
import { createTokenRouter } from './sandbox.token.routes';
import { defaultResourceLink, findPerson, sandboxCourse, sandboxPeople } from './sandbox.people';
import type {
  Sandbox,
  SandboxContext,
  SandboxOptions,
  SandboxPerson,
  SandboxPersonKey,
} from './sandbox.types';

export type { Sandbox, SandboxOptions, SandboxPerson } from './sandbox.types';

const clientId = 'rounds-sandbox-client';
const deploymentId = 'sandbox-deployment-1';

function personOrThrow(key: SandboxPersonKey): SandboxPerson {
  const person = findPerson(key);
  if (!person) throw new Error(`Unknown sandbox person "${key}"`);
  return person;
}

/**
 * Builds the sandbox LMS: a real LTI 1.3 platform imitating Moodle 4.5, for development and tests.
 * Needs mongoose's default connection open; cheap on restart (the signing key is stored, not regenerated).
 */
export async function createSandbox(options: SandboxOptions): Promise<Sandbox> {
  const base = `${options.publicUrl.replace(/\/+$/, '')}/sandbox`;
  await ensureSandboxIndexes();
  const signingKey = await loadSigningKey();
  let agsAvailable = true;
  const context: SandboxContext = {
    base,
    issuer: base,
    clientId,
    deploymentId,
    tool: options.tool,
    logger: options.logger.child({ component: 'sandbox' }),
    signingKey,
    toolKeySet: createRemoteJWKSet(new URL(options.tool.jwksUrl), { cooldownDuration: 1000 }),
    isAgsAvailable: () => agsAvailable,
  };
  const urls = sandboxUrls(base);

  const router = express.Router();
  router.use(createPagesRouter(context));
  router.use(createAuthRouter(context));
  router.use(createTokenRouter(context));
  router.use(createAgsRouter(context));
  router.use(createNrpsRouter(context));
  router.use(createDeepLinkRouter(context));
  router.use(createRegistrationRouter(context));
  router.use(() => {
    throw new NotFoundError('The sandbox LMS has no such page.');
  });
  router.use(sandboxErrorHandler(context.logger));

  const registration: PlatformRegistration = {
    issuer: base,
    clientId,
    deploymentIds: [deploymentId],
    name: 'Rounds Sandbox LMS',
    authUrl: urls.auth,
    tokenUrl: urls.token,
    jwksUrl: urls.jwks,
  };

  return {
    router,
    registration,
    issuer: base,
    clientId,
    deploymentId,
    course: { ...sandboxCourse },
    people: sandboxPeople.map((person) => ({ ...person, roles: [...person.roles] })),
    loginInitiationUrl(personKey, launch = {}) {
      const person = personOrThrow(personKey);
      if (launch.resourceLinkId === deepLinkingHint) {
        return buildLoginInitiationUrl(
          context,
          person,
          deepLinkingHint,
          launch.targetLinkUri ?? options.tool.deepLinkUrl,
        );
      }
      const resourceLinkId = launch.resourceLinkId ?? defaultResourceLink.resourceLinkId;
      return buildLoginInitiationUrl(
        context,
        person,
        encodeMessageHint(resourceLinkId, launch.targetLinkUri),
        launch.targetLinkUri ?? options.tool.launchUrl,
      );
    },
    launchClaims(personKey, launch) {
      const resourceLinkId = launch.resourceLinkId ?? defaultResourceLink.resourceLinkId;
      const link =
        resourceLinkId === defaultResourceLink.resourceLinkId
          ? { ...defaultResourceLink }
          : { resourceLinkId, title: `Activity ${resourceLinkId}`, custom: {} };
      return buildLaunchClaims(context, personOrThrow(personKey), {
        nonce: launch.nonce,
        messageType: launch.messageType ?? 'LtiResourceLinkRequest',
        link,
        ...(launch.targetLinkUri === undefined ? {} : { targetLinkUri: launch.targetLinkUri }),
      });
    },
    signIdToken: (claims, signOptions) => signingKey.sign(claims, signOptions),
    async placeTargetActivity(input) {
      const placed = await listPlacedActivities(base);
      const existing = placed.find((activity) => activity.custom.rounds_target === input.target);
      if (existing) return existing.resourceLinkId;
      const mentor = sandboxPeople.find((person) => person.key === 'mentor')!;
      return placeActivity(base, mentor.userId, {
        title: input.title,
        text: input.text ?? '',
        custom: { rounds_target: input.target },
        ...(input.scoreMaximum === undefined
          ? {}
          : { lineItem: { label: input.title, scoreMaximum: input.scoreMaximum } }),
      });
    },
    setAgsAvailable(available) {
      agsAvailable = available;
    },
  };
}
