import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Config } from '../config';
import { requestRosterSync } from '../lti/services';
import { ValidationError } from '../shared/errors';
import { csrfProtection } from '../shared/http/csrf';
import { requireRole } from '../shared/http/requireRole';
import * as outbox from './outbox.service';

const basePath = '/admin/outbox';

/** What a redirect's `?done=` tells the admin on the page it lands on. */
const notices: Record<string, string> = {
  retried: 'The entry will be sent again in a moment.',
  'retried-all': 'Every entry that needed attention will be sent again in a moment.',
  'roster-queued': 'The roster sync is queued; it appears under “Waiting” until it is done.',
  'roster-already-queued': 'A sync of that roster is already waiting; it was not queued twice.',
};

const rosterSyncSchema = z.object({ courseId: z.string().min(1) });

/**
 * `/admin/outbox`: grades and roster syncs on their way to the LMS, for the tenant's administrators: what needs
 * attention (with the reason), what is waiting, what was sent; a Retry for parked entries; "Sync roster now".
 * Every change is a POST answered 303 → GET (with `?done=`).
 */
export function outboxAdminRouter({ config }: { config: Config }): Router {
  const router = Router();
  const done = (res: Response, what: keyof typeof notices) => res.redirect(303, `${basePath}?done=${what}`);

  router.use(basePath, requireRole('admin'), csrfProtection(config.sessionSecret));

  router.get(basePath, async (req, res) => {
    const page = await outbox.outboxFor(req.actor!);
    const notice = typeof req.query.done === 'string' ? notices[req.query.done] : undefined;
    res.render('admin/outbox', { title: 'LMS outbox', notice, ...page });
  });

  router.post(`${basePath}/retry-parked`, async (req, res) => {
    await outbox.retryParkedOutboxJobs(req.actor!);
    done(res, 'retried-all');
  });

  router.post(`${basePath}/roster-sync`, async (req, res) => {
    const parsed = rosterSyncSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError('Choose a course whose roster to sync.');
    const { created } = await requestRosterSync(req.actor!, parsed.data.courseId);
    done(res, created ? 'roster-queued' : 'roster-already-queued');
  });

  router.post(`${basePath}/:id/retry`, async (req, res) => {
    await outbox.retryOutboxJob(req.actor!, req.params.id as string);
    done(res, 'retried');
  });

  return router;
}
