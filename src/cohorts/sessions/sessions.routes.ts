import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor, requireCohortViewer } from '../core';
import { mountAttendanceRoutes } from './attendance.routes';
import { sessionCalendar, sessionDetail, sessionsPage } from './session.pages';
import { sessionFormSchema } from './session.schemas';
import { cancelSession, newSessionForm, scheduleSession } from './session.service';
import { chosenZone, zoneChoices } from './session.zone';

/** Each form field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  title: 'session-title',
  audience: 'session-audience',
  location: 'session-location',
  date: 'session-date',
  startTime: 'session-start-time',
  endTime: 'session-end-time',
  recurrence: 'session-recurrence',
  repeatUntil: 'session-repeat-until',
};

const formFields = Object.keys(fieldIds);

/** The form's fields as typed, so a refused form shows them again. */
function typedForm(body: unknown): Record<string, string> {
  const fields = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    formFields.map((name) => [name, typeof fields[name] === 'string' ? fields[name] : '']),
  );
}

const recurrenceChoices = [
  { value: 'none', label: 'Does not repeat' },
  { value: 'weekly', label: 'Every week' },
  { value: 'biweekly', label: 'Every two weeks' },
  { value: 'monthly', label: 'Every month (same day of the month)' },
];

async function renderNewSession(
  req: Request,
  res: Response,
  refused?: { form: Record<string, string>; errors: Record<string, string> },
) {
  const viewer = req.cohortViewer!;
  const { opened, audiences } = await newSessionForm(viewer, req.params.cohortId as string);
  const form = refused?.form ?? { audience: 'group', recurrence: 'none', title: '', location: '' };
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([field, message]) => ({
    href: `#${fieldIds[field] ?? 'session-title'}`,
    message,
  }));
  res.render('cohorts/sessions/new', {
    title: summary.length ? 'Error: Schedule a session' : 'Schedule a session',
    cohortNav: cohortNavFor(opened, 'sessions'),
    cohortId: String(opened.cohort._id),
    timeZone: opened.cohort.timeZone,
    errors: summary,
    fieldErrors: errors,
    form,
    audiences: audiences.map((choice) => ({ ...choice, selected: choice.value === form.audience })),
    showAudience: audiences.length > 1,
    recurrences: recurrenceChoices.map((choice) => ({
      ...choice,
      selected: choice.value === form.recurrence,
    })),
  });
}

/**
 * Cohort sessions (issue 12, item 4): the schedule in the viewer's zone, scheduling (one-off or recurring),
 * one session's occurrences and `.ics` download, attendance and ratings.
 */
export function sessionsRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];

  router.get('/cohorts/:cohortId/sessions', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    const cohortId = req.params.cohortId as string;
    const page = await sessionsPage(viewer, cohortId, chosenZone(req, res, config));
    res.render('cohorts/sessions/list', {
      title: 'Sessions',
      ...page,
      cohortId,
      zoneChoice: zoneChoices(page.zone, page.opened.cohort.timeZone),
      scheduled: req.query.done === 'scheduled',
      cancelled: req.query.done === 'cancelled',
    });
  });

  router.get('/cohorts/:cohortId/sessions/new', ...guard, (req, res) => renderNewSession(req, res));

  router.post('/cohorts/:cohortId/sessions/new', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    const cohortId = req.params.cohortId as string;
    const { opened } = await newSessionForm(viewer, cohortId);
    const parsed = sessionFormSchema(opened.cohort.timeZone).safeParse(req.body ?? {});
    const refuse = (errors: Record<string, string>) => {
      res.status(400);
      return renderNewSession(req, res, { form: typedForm(req.body), errors });
    };
    if (!parsed.success) return refuse(fieldErrors(parsed.error));
    try {
      const sessionId = await scheduleSession(viewer, cohortId, parsed.data);
      res.redirect(303, `/cohorts/${cohortId}/sessions/${sessionId}?done=scheduled`);
    } catch (error) {
      if (error instanceof ValidationError) return refuse(error.fields);
      throw error;
    }
  });

  router.get('/cohorts/:cohortId/sessions/:sessionId.ics', ...guard, async (req, res) => {
    const calendar = await sessionCalendar(
      req.cohortViewer!,
      req.params.cohortId as string,
      req.params.sessionId as string,
      config.publicUrl,
    );
    res.type('text/calendar; charset=utf-8');
    res.attachment(calendar.filename);
    res.send(calendar.body);
  });

  router.get('/cohorts/:cohortId/sessions/:sessionId', ...guard, async (req, res) => {
    const viewer = req.cohortViewer!;
    const cohortId = req.params.cohortId as string;
    const sessionId = req.params.sessionId as string;
    const page = await sessionDetail(viewer, cohortId, sessionId, chosenZone(req, res, config));
    res.render('cohorts/sessions/detail', {
      title: page.session.title,
      ...page,
      cohortId,
      zoneChoice: zoneChoices(page.zone, page.session.cohortZone),
      scheduled: req.query.done === 'scheduled',
    });
  });

  router.post('/cohorts/:cohortId/sessions/:sessionId/cancel', ...guard, async (req, res) => {
    const cohortId = req.params.cohortId as string;
    await cancelSession(req.cohortViewer!, cohortId, req.params.sessionId as string);
    res.redirect(303, `/cohorts/${cohortId}/sessions?done=cancelled`);
  });

  mountAttendanceRoutes(router, guard);
  return router;
}
