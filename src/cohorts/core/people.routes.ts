import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config';
import { ValidationError } from '../../shared/errors';
import { csrfProtection } from '../../shared/http/csrf';
import { fieldErrors } from '../../shared/http/fieldErrors';
import { cohortNavFor } from './cohort.nav';
import { addMemberSchema, changeRoleSchema, mentorCapacitySchema } from './cohort.schemas';
import { cohortRoleLabels, kindLabels, rolesOfKind } from './cohort.service';
import { requireCohortViewer } from './cohortViewer';
import { peoplePageFor } from './people.page';
import {
  addCohortMember,
  changeCohortMemberRole,
  removeCohortMember,
  requestCohortRosterSync,
  restoreCohortMember,
  setMentorCapacity,
} from './people.service';

/** A refused action on the people page: which row and field, the message, and what was typed. */
interface Refusal {
  userId?: string;
  field: string;
  message: string;
  typed?: string;
}

const notices: Record<string, string> = {
  added: 'Added to the cohort.',
  role: 'Role changed.',
  capacity: 'Capacity saved.',
  removed: 'Removed from the cohort. Their history is kept; a roster sync will not bring them back.',
  restored: 'Brought back into the cohort.',
  'sync-queued': 'Roster sync queued. Reload this page in a moment to see the result.',
};

/** Where the error summary links: the field of the refused row (or the page's sync button). */
function anchorOf(refusal: Refusal): string {
  if (refusal.field === 'capacity' && refusal.userId) return `#capacity-${refusal.userId}`;
  if (refusal.field === 'role' && refusal.userId) return `#role-${refusal.userId}`;
  if (refusal.field === 'sync') return '#roster-sync';
  if (refusal.field === 'add') return '#course-members';
  return refusal.userId ? `#person-${refusal.userId}` : '#people';
}

async function renderPeople(req: Request, res: Response, refusal?: Refusal) {
  const viewer = req.cohortViewer!;
  const search = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
  const page = await peoplePageFor(viewer, String(req.params.cohortId), search);
  const { cohort } = page.opened;
  const done = typeof req.query.done === 'string' ? req.query.done : '';
  const members = page.members.map((row) => {
    const mine = refusal?.userId === row.userId ? refusal : undefined;
    return {
      ...row,
      capacityError: mine?.field === 'capacity' ? mine.message : undefined,
      capacityTyped: mine?.field === 'capacity' ? mine.typed : row.ownCapacity,
      roleError: mine?.field === 'role' ? mine.message : undefined,
      rowError: mine && !['capacity', 'role'].includes(mine.field) ? mine.message : undefined,
    };
  });
  res.render('cohorts/core/people', {
    title: refusal ? `Error: People of ${cohort.name}` : `People of ${cohort.name}`,
    cohortNav: cohortNavFor(page.opened, 'people'),
    cohortId: String(cohort._id),
    cohortName: cohort.name,
    kindLabel: kindLabels[cohort.kind],
    mentoring: cohort.kind === 'mentoring',
    rosterMode: cohort.rosterMode,
    capacityPerMentor: cohort.capacityPerMentor,
    members,
    memberCount: members.filter((row) => row.active).length,
    addRoles: rolesOfKind(cohort.kind).map((role) => ({ value: role, label: cohortRoleLabels[role] })),
    courseMembers: page.courseMembers.map((row) => ({
      ...row,
      addError: refusal?.field === 'add' && refusal.userId === row.userId ? refusal.message : undefined,
    })),
    courseMembersTotal: page.courseMembersTotal,
    courseMembersHidden: page.courseMembersTotal - page.courseMembers.length,
    search,
    lastSync: page.lastSync,
    syncError: refusal?.field === 'sync' ? refusal.message : undefined,
    errors: refusal ? [{ href: anchorOf(refusal), message: refusal.message }] : [],
    notice: refusal ? undefined : notices[done],
  });
}

/** Turns a service's refusal into the page's 400, with the message at its row; anything else goes on up. */
async function refusedOrThrow(
  req: Request,
  res: Response,
  error: unknown,
  refusal: Omit<Refusal, 'field' | 'message'> & { field?: string },
) {
  if (!(error instanceof ValidationError)) throw error;
  const [field, message] = Object.entries(error.fields)[0] ?? [refusal.field ?? 'form', error.message];
  res.status(400);
  await renderPeople(req, res, { ...refusal, field: refusal.field ?? field, message });
}

/**
 * `/cohorts/:cohortId/people` (the cohort's managers): who is in it, in which role, from where, active or not,
 * mentors' capacity; the course's people to add; hand edits (add, change role, capacity, remove, restore) and an
 * NRPS roster sync of the course. Hand edits survive syncs (`removedByHand`, roles untouched).
 */
export function peopleRouter({ config }: { config: Config }): Router {
  const router = Router();
  const guard = [requireCohortViewer(), csrfProtection(config.sessionSecret)];
  const base = (req: Request) => `/cohorts/${String(req.params.cohortId)}/people`;
  const after = (req: Request, done: string) => `${base(req)}?done=${done}`;

  router.get('/cohorts/:cohortId/people', ...guard, (req, res) => renderPeople(req, res));

  router.post('/cohorts/:cohortId/people/add', ...guard, async (req, res) => {
    const parsed = addMemberSchema.safeParse(req.body ?? {});
    const userId = typeof req.body?.userId === 'string' ? (req.body.userId as string) : undefined;
    if (!parsed.success) {
      res.status(400);
      const [, message] = Object.entries(fieldErrors(parsed.error))[0]!;
      return renderPeople(req, res, { userId, field: 'add', message });
    }
    try {
      await addCohortMember(req.cohortViewer!, String(req.params.cohortId), parsed.data);
    } catch (error) {
      return refusedOrThrow(req, res, error, { userId, field: 'add' });
    }
    res.redirect(303, after(req, 'added'));
  });

  router.post('/cohorts/:cohortId/people/:userId/role', ...guard, async (req, res) => {
    const userId = String(req.params.userId);
    const parsed = changeRoleSchema.safeParse(req.body ?? {});
    try {
      if (!parsed.success)
        throw new ValidationError('Choose a cohort role.', { role: 'Choose a cohort role.' });
      await changeCohortMemberRole(req.cohortViewer!, String(req.params.cohortId), userId, parsed.data.role);
    } catch (error) {
      return refusedOrThrow(req, res, error, { userId, field: 'role' });
    }
    res.redirect(303, after(req, 'role'));
  });

  router.post('/cohorts/:cohortId/people/:userId/capacity', ...guard, async (req, res) => {
    const userId = String(req.params.userId);
    const typed = typeof req.body?.capacity === 'string' ? (req.body.capacity as string) : '';
    const parsed = mentorCapacitySchema.safeParse(req.body ?? {});
    try {
      if (!parsed.success) {
        const message = fieldErrors(parsed.error).capacity ?? 'Enter a whole number from 1 to 50.';
        throw new ValidationError(message, { capacity: message });
      }
      await setMentorCapacity(req.cohortViewer!, String(req.params.cohortId), userId, parsed.data.capacity);
    } catch (error) {
      return refusedOrThrow(req, res, error, { userId, field: 'capacity', typed });
    }
    res.redirect(303, after(req, 'capacity'));
  });

  router.post('/cohorts/:cohortId/people/:userId/remove', ...guard, async (req, res) => {
    const userId = String(req.params.userId);
    try {
      await removeCohortMember(req.cohortViewer!, String(req.params.cohortId), userId);
    } catch (error) {
      return refusedOrThrow(req, res, error, { userId });
    }
    res.redirect(303, after(req, 'removed'));
  });

  router.post('/cohorts/:cohortId/people/:userId/restore', ...guard, async (req, res) => {
    const userId = String(req.params.userId);
    try {
      await restoreCohortMember(req.cohortViewer!, String(req.params.cohortId), userId);
    } catch (error) {
      return refusedOrThrow(req, res, error, { userId });
    }
    res.redirect(303, after(req, 'restored'));
  });

  router.post('/cohorts/:cohortId/people/sync', ...guard, async (req, res) => {
    try {
      await requestCohortRosterSync(req.cohortViewer!, req.actor!, String(req.params.cohortId));
    } catch (error) {
      return refusedOrThrow(req, res, error, { field: 'sync' });
    }
    res.redirect(303, after(req, 'sync-queued'));
  });

  return router;
}
