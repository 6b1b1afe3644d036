import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { professionLabels, professions } from '../../wellbeing/support';
import { cohortNavFor, requireCohortViewer } from '../core';
import { paramOf, typedText } from './matching.http';
import { changeRequestPageFor, requestChange } from './changeRequest.service';
import { changeRequestFormSchema, profileFormSchema } from './matching.schemas';
import { availabilityLabels, availabilitySlots, careerStageLabels, careerStages } from './matching.score';
import { formatInZone } from './matching.format';
import { pairsForViewer } from './pairing.service';
import { profilePageFor, saveProfile, type ProfileFormValues } from './profile.service';

/** Each profile field's input id, for the error summary's links. */
const fieldIds: Record<string, string> = {
  profession: 'profession-physician',
  specialty: 'specialty',
  careerStage: 'career-stage',
  goals: 'goals',
  availability: 'availability-weekday-mornings',
  preferences: 'preferences',
  offers: 'offers',
  offerTags: 'offer-tags',
};

function summaryOf(errors: Record<string, string>, ids: Record<string, string>) {
  return Object.entries(errors).map(([field, message]) => ({ href: `#${ids[field] ?? field}`, message }));
}

/** The form as typed, so a refused form shows it again. */
function typedProfile(body: unknown): ProfileFormValues {
  const fields = (body ?? {}) as Record<string, unknown>;
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const ticked = fields.availability;
  return {
    profession: text('profession'),
    specialty: text('specialty'),
    careerStage: text('careerStage'),
    goals: text('goals'),
    availability: Array.isArray(ticked) ? ticked.map(String) : typeof ticked === 'string' ? [ticked] : [],
    preferences: text('preferences'),
    offers: text('offers'),
    offerTags: text('offerTags'),
  };
}

async function renderProfile(
  req: Request,
  res: Response,
  refused?: { form: ProfileFormValues; errors: Record<string, string> },
) {
  const viewer = req.cohortViewer!;
  const page = await profilePageFor(viewer, paramOf(req, 'cohortId'));
  const form = refused?.form ?? page.form;
  const errors = refused?.errors ?? {};
  const summary = summaryOf(errors, fieldIds);
  const cohortId = String(page.opened.cohort._id);
  const pairs = (await pairsForViewer(viewer)).filter((pair) => pair.cohortId === cohortId);
  res.render('cohorts/matching/profile', {
    title: `${summary.length ? 'Error: ' : ''}My matching profile · ${page.opened.cohort.name}`,
    cohortNav: cohortNavFor(page.opened, 'profile'),
    cohortId,
    errors: summary,
    fieldErrors: errors,
    saved: !refused && req.query.done === 'saved',
    firstTime: !page.saved,
    updatedAt: page.updatedAt ? formatInZone(page.updatedAt, page.opened.cohort.timeZone) : undefined,
    isMentor: page.opened.role === 'mentor',
    isMentee: page.opened.role === 'mentee',
    pairs,
    form,
    professions: professions.map((value) => ({
      value,
      label: professionLabels[value],
      checked: form.profession === value,
    })),
    careerStages: careerStages.map((value) => ({
      value,
      label: careerStageLabels[value],
      selected: form.careerStage === value,
    })),
    availability: availabilitySlots.map((value) => ({
      value,
      label: availabilityLabels[value].replace(/^./, (first) => first.toUpperCase()),
      checked: form.availability.includes(value),
    })),
  });
}

async function renderChangeRequest(
  req: Request,
  res: Response,
  refused?: { reason: string; errors: Record<string, string> },
) {
  const page = await changeRequestPageFor(req.cohortViewer!, paramOf(req, 'cohortId'));
  const errors = refused?.errors ?? {};
  const summary = summaryOf(errors, { reason: 'reason' });
  res.render('cohorts/matching/changeRequest', {
    title: `${summary.length ? 'Error: ' : ''}Ask for a different mentor · ${page.opened.cohort.name}`,
    cohortNav: cohortNavFor(page.opened, 'profile'),
    cohortId: String(page.opened.cohort._id),
    errors: summary,
    fieldErrors: errors,
    sent: !refused && req.query.done === 'sent',
    reason: refused?.reason ?? '',
    ...page,
    mentorNames: page.mentorNames.join(', '),
  });
}

/**
 * `/cohorts/:cohortId/profile`: a mentor's or mentee's matching profile; `/cohorts/:cohortId/change-request`: a
 * mentee's private request for a different mentor.
 */
export function profileRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];

  router.get('/cohorts/:cohortId/profile', ...guard, (req, res) => renderProfile(req, res));

  router.post('/cohorts/:cohortId/profile', ...guard, async (req, res) => {
    const parsed = profileFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderProfile(req, res, { form: typedProfile(req.body), errors: fieldErrors(parsed.error) });
    }
    await saveProfile(req.cohortViewer!, paramOf(req, 'cohortId'), parsed.data);
    res.redirect(303, `/cohorts/${paramOf(req, 'cohortId')}/profile?done=saved`);
  });

  router.get('/cohorts/:cohortId/change-request', ...guard, (req, res) => renderChangeRequest(req, res));

  router.post('/cohorts/:cohortId/change-request', ...guard, async (req, res) => {
    const typed = typedText(req.body, 'reason');
    const parsed = changeRequestFormSchema.safeParse(req.body ?? {});
    if (!parsed.success) {
      res.status(400);
      return renderChangeRequest(req, res, { reason: typed, errors: fieldErrors(parsed.error) });
    }
    try {
      await requestChange(req.cohortViewer!, paramOf(req, 'cohortId'), parsed.data.reason);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      res.status(400);
      return renderChangeRequest(req, res, { reason: typed, errors: error.fields });
    }
    res.redirect(303, `/cohorts/${paramOf(req, 'cohortId')}/change-request?done=sent`);
  });

  return router;
}
