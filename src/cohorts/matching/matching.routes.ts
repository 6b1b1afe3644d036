import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor, requireCohortViewer } from '../core';
import { paramOf, typedText } from './matching.http';
import { resolveChangeRequest } from './changeRequest.service';
import { pairFormSchema, resolveRequestFormSchema } from './matching.schemas';
import { confirmAllSuggestions, confirmPair, endPair } from './confirmation.service';
import { matchingPageFor, runMatching, type MatchingPage, type MentorOption } from './matching.service';

/** What a refused form on the matching page typed: field errors by input id, chosen mentors, notes. */
interface Refusal {
  errors: Record<string, string>;
  chosenMentor?: { key: string; mentorId: string };
  note?: { requestId: string; text: string };
}

function optionsFor(mentors: MentorOption[], selected?: string) {
  return mentors.map((mentor) => ({
    ...mentor,
    selected: mentor.userId === selected,
    label: `${mentor.name} (${mentor.paired} of ${mentor.capacity} mentees${mentor.remaining === 0 ? ', full' : ''})`,
  }));
}

/** The page's view: each form gets its own options, typed values and error, so a refusal shows at its field. */
function matchingView(page: MatchingPage, refused?: Refusal) {
  const errors = refused?.errors ?? {};
  const chosen = (key: string, fallback?: string) =>
    refused?.chosenMentor?.key === key ? refused.chosenMentor.mentorId : fallback;
  return {
    mentors: page.mentors,
    pairs: page.pairs,
    missingProfiles: page.missingProfiles,
    run: page.run && {
      ...page.run,
      suggestions: page.run.suggestions.map((suggestion) => ({
        ...suggestion,
        fieldId: `mentor-${suggestion.menteeId}`,
        error: errors[`mentor-${suggestion.menteeId}`],
        options: optionsFor(page.mentors, chosen(`mentor-${suggestion.menteeId}`, suggestion.mentorId)),
      })),
    },
    unmatched: page.unmatched.map((mentee) => ({
      ...mentee,
      fieldId: `mentor-${mentee.userId}`,
      error: errors[`mentor-${mentee.userId}`],
      options: optionsFor(page.mentors, chosen(`mentor-${mentee.userId}`)),
    })),
    requests: page.requests.map((request) => {
      const mentorField = `request-${request.requestId}-mentor`;
      const noteField = `request-${request.requestId}-note`;
      return {
        ...request,
        mentorField,
        noteField,
        mentorError: errors[mentorField],
        noteError: errors[noteField],
        note: refused?.note?.requestId === request.requestId ? refused.note.text : '',
        options: optionsFor(page.mentors, chosen(mentorField)),
      };
    }),
  };
}

const notices: Record<string, (query: Request['query']) => string> = {
  ran: (query) =>
    `Matching ran: ${Number(query.suggested) || 0} suggestion(s), ${Number(query.unmatched) || 0} mentee(s) without a mentor with room. Nobody is paired until you confirm.`,
  confirmed: () => 'Pair confirmed.',
  'confirmed-all': (query) =>
    `Confirmed ${Number(query.confirmed) || 0} pair(s).${Number(query.skipped) ? ` ${Number(query.skipped)} suggestion(s) no longer fit and stay below.` : ''}`,
  ended: () => 'Pair ended. It stays in the history.',
  resolved: () => 'Change request resolved.',
};

async function renderMatching(req: Request, res: Response, refused?: Refusal) {
  const page = await matchingPageFor(req.cohortViewer!, paramOf(req, 'cohortId'));
  const errors = refused?.errors ?? {};
  const summary = Object.entries(errors).map(([id, message]) => ({ href: `#${id}`, message }));
  const done =
    typeof req.query.done === 'string' && !refused ? notices[req.query.done]?.(req.query) : undefined;
  res.render('cohorts/matching/matching', {
    title: `${summary.length ? 'Error: ' : ''}Matching · ${page.opened.cohort.name}`,
    cohortNav: cohortNavFor(page.opened, 'matching'),
    cohortId: String(page.opened.cohort._id),
    timeZone: page.timeZone,
    errors: summary,
    notice: done,
    ...matchingView(page, refused),
  });
}

/**
 * `/cohorts/:cohortId/matching` (the cohort's managers): pairs, suggestions to confirm, edit or re-run, mentees
 * without a mentor, missing profiles and mentees' change requests. Nobody is paired without a confirmation here.
 */
export function matchingPageRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  const base = (req: Request) => `/cohorts/${paramOf(req, 'cohortId')}/matching`;

  router.get('/cohorts/:cohortId/matching', ...guard, (req, res) => renderMatching(req, res));

  router.post('/cohorts/:cohortId/matching/run', ...guard, async (req, res) => {
    const result = await runMatching(req.cohortViewer!, paramOf(req, 'cohortId'));
    res.redirect(303, `${base(req)}?done=ran&suggested=${result.suggested}&unmatched=${result.unmatched}`);
  });

  router.post('/cohorts/:cohortId/matching/confirm', ...guard, async (req, res) => {
    const parsed = pairFormSchema.safeParse(req.body ?? {});
    const menteeId = typedText(req.body, 'menteeId');
    const key = `mentor-${menteeId}`;
    if (!parsed.success) {
      res.status(400);
      const message = Object.values(fieldErrors(parsed.error))[0]!;
      return renderMatching(req, res, { errors: { [key]: message } });
    }
    try {
      await confirmPair(req.cohortViewer!, paramOf(req, 'cohortId'), parsed.data);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderMatching(req, res, {
        errors: error.fields,
        chosenMentor: { key, mentorId: parsed.data.mentorId },
      });
    }
    res.redirect(303, `${base(req)}?done=confirmed`);
  });

  router.post('/cohorts/:cohortId/matching/confirm-all', ...guard, async (req, res) => {
    const result = await confirmAllSuggestions(req.cohortViewer!, paramOf(req, 'cohortId'));
    res.redirect(
      303,
      `${base(req)}?done=confirmed-all&confirmed=${result.confirmed}&skipped=${result.skipped}`,
    );
  });

  router.post('/cohorts/:cohortId/matching/pairs/:pairId/end', ...guard, async (req, res) => {
    await endPair(req.cohortViewer!, paramOf(req, 'cohortId'), paramOf(req, 'pairId'));
    res.redirect(303, `${base(req)}?done=ended`);
  });

  router.post('/cohorts/:cohortId/change-requests/:requestId/resolve', ...guard, async (req, res) => {
    const requestId = paramOf(req, 'requestId');
    const mentorField = `request-${requestId}-mentor`;
    const noteField = `request-${requestId}-note`;
    const typedNote = typedText(req.body, 'note');
    const typedMentor = typedText(req.body, 'mentorId');
    const refuse = (errors: Record<string, string>) => {
      res.status(400);
      return renderMatching(req, res, {
        errors,
        note: { requestId, text: typedNote },
        chosenMentor: { key: mentorField, mentorId: typedMentor },
      });
    };
    const parsed = resolveRequestFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      const byField = fieldErrors(parsed.error);
      return refuse(
        Object.fromEntries(
          Object.entries(byField).map(([field, message]) => [
            field === 'note' ? noteField : mentorField,
            message,
          ]),
        ),
      );
    }
    try {
      await resolveChangeRequest(req.cohortViewer!, paramOf(req, 'cohortId'), requestId, parsed.data);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return refuse(error.fields);
    }
    res.redirect(303, `${base(req)}?done=resolved`);
  });

  return router;
}
