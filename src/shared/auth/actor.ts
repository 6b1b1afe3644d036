import type { CourseRole } from '../../tenancy';

/** Who is acting: what services receive instead of a request. Ids are strings of ObjectIds. */
export interface Actor {
  tenantId: string;
  userId: string;
  courseId: string;
  role: CourseRole;
  name: string;
  /** The course's title (or label) as the launch brought it, carried on the session so pages need not read it. */
  courseTitle: string;
  /** The LMS activity (LTI resource link id) whose launch started this session, if any: where grades go. */
  resourceLinkId?: string;
  /** What that activity opens (`module:<slug>`), when it names a Rounds target. */
  target?: string;
}

/** What a Rounds account may be granted (issue 11); tenant-scoped roles carry their tenant, mentors their cohort. */
export type AccountRole = 'operator' | 'tenant-admin' | 'cme-admin' | 'mentor';

export interface AccountGrant {
  role: AccountRole;
  tenantId?: string;
  cohortId?: string;
}

/** Who is signed in with a Rounds account (not an LTI launch): what account pages and policies receive. */
export interface AccountActor {
  accountId: string;
  email: string;
  name: string;
  grants: AccountGrant[];
  totpEnabled: boolean;
  /** The second factor was checked in this session. */
  mfaVerified: boolean;
}
