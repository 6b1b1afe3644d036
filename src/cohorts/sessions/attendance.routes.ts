import type { Request, RequestHandler, Response, Router } from 'express';
import { z } from 'zod';
import { ValidationError } from '../../shared/errors';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor } from '../core';
import { attendanceSheet, recordAttendance } from './attendance.service';
import { rateOccurrence, ratingForm } from './rating.service';
import { formatOccurrence } from './session.format';
import { ratingFormSchema } from './session.schemas';

const occurrencePath = '/cohorts/:cohortId/sessions/:sessionId/occurrences/:startIso';

/** The ticked "present" checkboxes: none, one (a string) or several (an array). */
const presentSchema = z.object({
  present: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((value) => (value === undefined ? [] : ([] as string[]).concat(value))),
});

function occurrenceParams(req: Request) {
  return [
    req.params.cohortId as string,
    req.params.sessionId as string,
    req.params.startIso as string,
  ] as const;
}

async function renderAttendance(req: Request, res: Response, error?: string) {
  const sheet = await attendanceSheet(req.cohortViewer!, ...occurrenceParams(req));
  const [cohortId, sessionId] = occurrenceParams(req);
  res.render('cohorts/sessions/attendance', {
    title: error ? `Error: Attendance: ${sheet.session.title}` : `Attendance: ${sheet.session.title}`,
    cohortNav: cohortNavFor(sheet.opened, 'sessions'),
    sessionTitle: sheet.session.title,
    sessionHref: `/cohorts/${cohortId}/sessions/${sessionId}`,
    when: formatOccurrence(sheet.occurrence.start, sheet.occurrence.end, sheet.opened.cohort.timeZone),
    timeZone: sheet.opened.cohort.timeZone,
    started: sheet.started,
    recorded: sheet.recorded,
    people: sheet.people,
    action: req.originalUrl.split('?')[0],
    errors: error ? [{ href: '#attendance-people', message: error }] : [],
    saved: req.query.done === 'saved',
  });
}

async function renderRating(
  req: Request,
  res: Response,
  refused?: { form: { score: string; comment: string }; errors: Record<string, string> },
) {
  const page = await ratingForm(req.cohortViewer!, ...occurrenceParams(req));
  const [cohortId, sessionId] = occurrenceParams(req);
  const form = refused?.form ?? {
    score: page.rating ? String(page.rating.score) : '',
    comment: page.rating?.comment ?? '',
  };
  const errors = refused?.errors ?? {};
  const ids: Record<string, string> = { score: 'rating-score-1', comment: 'rating-comment' };
  res.render('cohorts/sessions/rating', {
    title: Object.keys(errors).length ? `Error: Rate ${page.session.title}` : `Rate ${page.session.title}`,
    cohortNav: cohortNavFor(page.opened, 'sessions'),
    sessionTitle: page.session.title,
    sessionHref: `/cohorts/${cohortId}/sessions/${sessionId}`,
    when: formatOccurrence(page.occurrence.start, page.occurrence.end, page.opened.cohort.timeZone),
    canRate: page.canRate,
    rated: Boolean(page.rating),
    form,
    scores: ['1', '2', '3', '4', '5'].map((score) => ({ value: score, checked: score === form.score })),
    errors: Object.entries(errors).map(([field, message]) => ({
      href: `#${ids[field] ?? 'rating-score-1'}`,
      message,
    })),
    fieldErrors: errors,
    action: req.originalUrl.split('?')[0],
    saved: req.query.done === 'saved',
  });
}

/**
 * One occurrence's attendance (mentors, facilitators, managers) and rating (attendees who were present, once
 * it ended) pages, on the sessions router.
 */
export function mountAttendanceRoutes(router: Router, guard: RequestHandler[]): void {
  router.get(`${occurrencePath}/attendance`, ...guard, (req, res) => renderAttendance(req, res));

  router.post(`${occurrencePath}/attendance`, ...guard, async (req, res) => {
    const { present } = presentSchema.parse(req.body ?? {});
    try {
      await recordAttendance(req.cohortViewer!, ...occurrenceParams(req), present);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderAttendance(req, res, Object.values(error.fields)[0] ?? error.message);
    }
    res.redirect(303, `${req.originalUrl.split('?')[0]}?done=saved`);
  });

  router.get(`${occurrencePath}/rating`, ...guard, (req, res) => renderRating(req, res));

  router.post(`${occurrencePath}/rating`, ...guard, async (req, res) => {
    const parsed = ratingFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const typed = (name: string) => (typeof body[name] === 'string' ? (body[name] as string) : '');
      res.status(400);
      return renderRating(req, res, {
        form: { score: typed('score'), comment: typed('comment') },
        errors: fieldErrors(parsed.error),
      });
    }
    await rateOccurrence(req.cohortViewer!, ...occurrenceParams(req), parsed.data);
    res.redirect(303, `${req.originalUrl.split('?')[0]}?done=saved`);
  });
}
