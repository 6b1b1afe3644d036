import path from 'node:path';
import express, { type Request, type Router } from 'express';
import { DateTime } from 'luxon';
import { projectRoot } from '../config';
import { NotFoundError } from '../shared/errors';
import { buildLoginInitiationUrl } from './sandbox.claims';
import {
  canAddActivities,
  defaultResourceLink,
  findPerson,
  sandboxCourse,
  sandboxPeople,
  sandboxRoster,
  shortRoleNames,
} from './sandbox.people';
import { findLaunchTarget, listPlacedActivities } from './sandbox.course';
import { renderSandboxPage } from './sandbox.http';
import { SandboxLineItem, SandboxScore } from './sandbox.model';
import type { SandboxContext } from './sandbox.types';

const staticFolder = path.join(projectRoot, 'views', 'static');

function formatInstant(instant: Date): string {
  return DateTime.fromJSDate(instant, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm:ss 'UTC'");
}

function launchHref(req: Request, personKey: string, resourceLinkId?: string): string {
  const query = resourceLinkId ? `?resource_link_id=${encodeURIComponent(resourceLinkId)}` : '';
  return `${req.baseUrl}/launch/${personKey}${query}`;
}

/** The course page, the gradebook, and the sandbox's own script and stylesheet. */
export function createPagesRouter(context: SandboxContext): Router {
  const router = express.Router();
  const toolOrigin = new URL(context.tool.loginUrl).origin;

  // The sandbox is another site than the tool (when SANDBOX_HOST makes it so): its pages frame the tool and post
  // the id_token to it, so its own CSP names the tool's origin, as Moodle's allows its tools.
  router.use((_req, res, next) => {
    res.setHeader(
      'Content-Security-Policy',
      [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        `form-action 'self' ${toolOrigin}`,
        `frame-src 'self' ${toolOrigin}`,
        "frame-ancestors 'self'",
      ].join('; '),
    );
    next();
  });

  // Served by the sandbox itself so it works wherever it is mounted; the same files are at /static/ in the app.
  // `root`: send checks only the path below it for dot-segments, so an install under ~/.apps/ still serves them.
  router.get('/static/autosubmit.js', (_req, res) => {
    res.sendFile('sandbox-autosubmit.js', { root: staticFolder });
  });
  router.get('/static/sandbox.css', (_req, res) => {
    res.sendFile('sandbox.css', { root: staticFolder });
  });
  router.get('/static/embed.js', (_req, res) => {
    res.sendFile('sandbox-embed.js', { root: staticFolder });
  });

  // The activity shown inside the course page, as Moodle does with "Display in: Embed": the tool's login
  // initiation loads in an iframe. `?storage=1` also offers platform storage (lti_storage_target), as Moodle 4.x;
  // `?resource_link_id=` embeds a placed activity instead of the built-in one.
  router.get('/embed/:personKey', async (req, res) => {
    const person = findPerson(String(req.params.personKey));
    if (!person) throw new NotFoundError('The sandbox course has no demo person by that name.');
    const storage = req.query.storage === '1';
    const linkId =
      typeof req.query.resource_link_id === 'string'
        ? req.query.resource_link_id
        : defaultResourceLink.resourceLinkId;
    const link = await findLaunchTarget(context.issuer, linkId);
    if (!link) throw new NotFoundError('The sandbox course has no activity with that resource link id.');
    const src = new URL(
      buildLoginInitiationUrl(context, person, link.resourceLinkId, link.url ?? context.tool.launchUrl),
    );
    if (storage) src.searchParams.set('lti_storage_target', '_parent');
    renderSandboxPage(req, res, 'embed', {
      title: `${link.title} · ${sandboxCourse.label}`,
      activityTitle: link.title,
      personName: person.name,
      src: src.toString(),
      storage,
      toolOrigin,
    });
  });

  router.get('/', async (req, res) => {
    const placed = await listPlacedActivities(context.issuer);
    const placedCount = typeof req.query.placed === 'string' ? Number(req.query.placed) : undefined;
    renderSandboxPage(req, res, 'course', {
      title: sandboxCourse.title,
      course: sandboxCourse,
      notice:
        placedCount === undefined || Number.isNaN(placedCount)
          ? undefined
          : `${placedCount} ${placedCount === 1 ? 'activity was' : 'activities were'} added to the course.`,
      defaultActivityTitle: defaultResourceLink.title,
      people: sandboxPeople.map((person) => ({
        name: person.name,
        profession: person.profession,
        courseRole: shortRoleNames(person.roles).join(', '),
        description: person.description,
        launchHref: launchHref(req, person.key),
        embedHref: `${req.baseUrl}/embed/${person.key}`,
        deepLinkHref: canAddActivities(person)
          ? `${req.baseUrl}/launch/${person.key}?message_type=LtiDeepLinkingRequest`
          : undefined,
      })),
      activities: placed.map((activity) => ({
        title: activity.title,
        text: activity.text,
        resourceLinkId: activity.resourceLinkId,
        launches: sandboxPeople.map((person) => ({
          name: person.name,
          href: launchHref(req, person.key, activity.resourceLinkId),
        })),
      })),
    });
  });

  router.get('/gradebook', async (req, res) => {
    const lineItems = await SandboxLineItem.find({ issuer: context.issuer }).sort({ lineItemId: 1 }).lean();
    const scores = await SandboxScore.find({ issuer: context.issuer })
      .sort({ timestamp: 1, receivedAt: 1 })
      .lean();
    const latest = new Map<string, (typeof scores)[number]>();
    const receivedCount = new Map<number, number>();
    for (const score of scores) {
      latest.set(`${score.lineItemId}|${score.userId}`, score);
      receivedCount.set(score.lineItemId, (receivedCount.get(score.lineItemId) ?? 0) + 1);
    }
    renderSandboxPage(req, res, 'gradebook', {
      title: `Gradebook · ${sandboxCourse.label}`,
      course: sandboxCourse,
      lineItems: lineItems.map((item) => ({
        label: item.label,
        lineItemId: item.lineItemId,
        scoreMaximum: item.scoreMaximum,
        resourceLinkId: item.resourceLinkId ?? undefined,
        tag: item.tag ?? undefined,
        receivedCount: receivedCount.get(item.lineItemId) ?? 0,
      })),
      rows: sandboxRoster.map((member) => ({
        name: member.name,
        userId: member.userId,
        inactive: member.status === 'Inactive',
        cells: lineItems.map((item) => {
          const score = latest.get(`${item.lineItemId}|${member.userId}`);
          if (!score) return { empty: true };
          return {
            graded: score.scoreGiven != null,
            scoreGiven: score.scoreGiven,
            scoreMaximum: score.scoreMaximum,
            activityProgress: score.activityProgress,
            gradingProgress: score.gradingProgress,
            timestamp: formatInstant(score.timestamp),
            timestampIso: score.timestamp.toISOString(),
            comment: score.comment ?? undefined,
          };
        }),
      })),
    });
  });

  return router;
}
