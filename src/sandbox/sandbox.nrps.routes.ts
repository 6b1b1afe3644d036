import express, { type Router } from 'express';
import { NotFoundError } from '../shared/errors';
import { sandboxCourse, sandboxRoster, shortRoleName, shortRoleNames } from './sandbox.people';
import { serviceScopes } from './sandbox.claims';
import { paginate, stringParameter } from './sandbox.http';
import { requireScope } from './sandbox.token.routes';
import type { SandboxContext } from './sandbox.types';

const membershipContainer = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

/**
 * Names and Role Provisioning Services 2.0 (§2) for the sandbox course. Like Moodle, members' roles are
 * short names (`Learner`, `Instructor`, `Mentor`, `Administrator`), not the URIs the id_token carries.
 */
export function createNrpsRouter(context: SandboxContext): Router {
  const router = express.Router();

  router.get(
    '/nrps/contexts/:contextId/memberships',
    requireScope(context, serviceScopes.membershipReadOnly),
    (req, res) => {
      if (req.params.contextId !== sandboxCourse.contextId) throw new NotFoundError('No such course.');
      // §2.4.1: `role` filters by a role, given as a URI or short name.
      const role = stringParameter(req, 'role');
      const members = sandboxRoster
        .map((member) => ({
          status: member.status,
          name: member.name,
          given_name: member.givenName,
          family_name: member.familyName,
          email: member.email,
          user_id: member.userId,
          roles: shortRoleNames(member.roles),
        }))
        .filter((member) => role === undefined || member.roles.includes(shortRoleName(role)));
      const page = paginate(req, res, context.issuer, members);
      res.type(membershipContainer).json({
        id: new URL(req.originalUrl, context.issuer).toString(),
        context: { id: sandboxCourse.contextId, label: sandboxCourse.label, title: sandboxCourse.title },
        members: page,
      });
    },
  );

  return router;
}
