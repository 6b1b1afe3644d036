import type { RoundsRole } from '../../tenancy';

/** Who is acting: what services receive instead of a request. Ids are strings of ObjectIds. */
export interface Actor {
  tenantId: string;
  userId: string;
  courseId: string;
  role: RoundsRole;
  name: string;
  /** The course's title (or label) as the launch brought it, carried on the session so pages need not read it. */
  courseTitle: string;
  /** The LMS activity (LTI resource link id) whose launch started this session, if any: where grades go. */
  resourceLinkId?: string;
  /** What that activity opens (`module:<slug>`), when it names a Rounds target. */
  target?: string;
}
