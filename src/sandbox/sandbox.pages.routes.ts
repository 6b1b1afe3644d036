import path from 'node:path';
import express, { type Request, type Router } from 'express';
import { DateTime } from 'luxon';
import { projectRoot } from '../config';
import {
  canAddActivities,
  defaultResourceLink,
  sandboxCourse,
  sandboxPeople,
  sandboxRoster,
  shortRoleNames,
} from './sandbox.people';
import { listPlacedActivities } from './sandbox.course';
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

  // Served by the sandbox itself so it works wherever it is mounted; the same files are at /static/ in the app.
  router.get('/static/autosubmit.js', (_req, res) => {
    res.sendFile(path.join(staticFolder, 'sandbox-autosubmit.js'));
  });
  router.get('/static/sandbox.css', (_req, res) => {
    res.sendFile(path.join(staticFolder, 'sandbox.css'));
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
