import { Router } from 'express';
import type { Config } from '../../config';
import { NotFoundError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { cookieName, crossSiteCookieOptions } from '../../shared/http/session';
import { requireCohortViewer } from '../core';
import { calendarFeed, calendarPage, createCalendarFeed, revokeCalendarFeed } from './calendar.service';
import { calendarActionSchema } from './session.schemas';

/** A new address travels from the POST to the next GET in a short-lived cookie, read once, then cleared. */
const newAddressMs = 5 * 60 * 1000;

/**
 * `/calendar`: a person's calendar feed address (create, replace, revoke), and `/calendar/:token.ics`, the feed
 * itself, read by calendar apps without a session: the token is the only key, so a wrong or revoked one gets a
 * bare 404 that says nothing about whether it ever existed.
 */
export function calendarRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  const flashName = cookieName(config, 'calendar_address');
  const flashOptions = { ...crossSiteCookieOptions(config, newAddressMs), signed: true };

  router.get('/calendar/:token.ics', async (req, res) => {
    const body = await calendarFeed(req.params.token as string, config.publicUrl);
    if (body === undefined) throw new NotFoundError();
    res.set('Cache-Control', 'private, no-store');
    res.type('text/calendar; charset=utf-8');
    res.send(body);
  });

  router.get('/calendar', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    const page = await calendarPage(viewer);
    const token = (req.signedCookies as Record<string, unknown> | undefined)?.[flashName];
    if (typeof token === 'string') res.clearCookie(flashName, { ...flashOptions, maxAge: undefined });
    res.render('cohorts/sessions/calendar', {
      title: 'Calendar feed',
      ...page,
      newAddress:
        page.active && typeof token === 'string' ? `${config.publicUrl}/calendar/${token}.ics` : undefined,
      revoked: req.query.done === 'revoked',
    });
  });

  router.post('/calendar', ...guard, async (req, res) => {
    const { action } = calendarActionSchema.parse(req.body ?? {});
    if (action === 'revoke') {
      await revokeCalendarFeed(req.cohortViewer!);
      return res.redirect(303, '/calendar?done=revoked');
    }
    const token = await createCalendarFeed(req.cohortViewer!);
    res.cookie(flashName, token, flashOptions);
    res.redirect(303, '/calendar');
  });

  return router;
}
