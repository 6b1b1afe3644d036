import { OutboxParkError } from './outbox.errors';
import { jsonOf, type PlatformServices, type ServicePlatform } from './platformServices.client';

export const nrpsScope = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const membershipContainer = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';
/** A roster of 100 000 at 100 a page; beyond that the platform's paging is taken to be looping. */
const maxPages = 1000;
/** A page of up to 1000 members (the most `nrpsPageSize` asks for) at a few hundred bytes each. */
const pageMaxBytes = 8 * 1024 * 1024;

/** One member as NRPS 2.0 §2.2 lists them; Moodle sends short role names (`Learner`). */
export interface NrpsMember {
  user_id: string;
  status?: string;
  name?: string;
  given_name?: string;
  family_name?: string;
  email?: string;
  roles: string[];
}

/** The `rel="next"` target of a Link header (RFC 8288), if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const match of header.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*"?([^";]*)"?/i.exec(match[2] ?? '')?.[1];
    if (rel?.toLowerCase().split(/\s+/).includes('next')) return match[1];
  }
  return undefined;
}

/**
 * Reads a course's whole membership (NRPS 2.0 §2.4), following `Link: <…>; rel="next"` page by page. A next
 * page on another origin is refused: the access token must not leave the platform.
 */
export async function fetchMemberships(
  services: PlatformServices,
  platform: ServicePlatform,
  membershipsUrl: string,
  pageSize: number,
): Promise<{ members: NrpsMember[]; pages: number }> {
  const first = new URL(membershipsUrl);
  first.searchParams.set('limit', String(pageSize));
  const members: NrpsMember[] = [];
  const seen = new Set<string>();
  let url: string | undefined = first.toString();
  let pages = 0;
  while (url) {
    if (seen.has(url) || pages >= maxPages)
      throw new OutboxParkError('The LMS roster pages loop; sync stopped.');
    if (new URL(url).origin !== first.origin) {
      throw new OutboxParkError('The LMS roster pointed to another site for its next page; sync stopped.');
    }
    seen.add(url);
    const what = `reading the course roster (page ${pages + 1})`;
    const response = await services.request(
      platform,
      [nrpsScope],
      url,
      { headers: { accept: membershipContainer }, maxBytes: pageMaxBytes },
      what,
    );
    const body = (jsonOf(response, what) ?? {}) as { members?: unknown };
    if (!Array.isArray(body.members)) throw new OutboxParkError('The LMS roster has no members list.');
    for (const member of body.members as Array<Partial<NrpsMember>>) {
      if (member && (typeof member.user_id === 'string' || typeof member.user_id === 'number')) {
        members.push({
          ...member,
          user_id: String(member.user_id),
          roles: Array.isArray(member.roles) ? member.roles : [],
        });
      }
    }
    pages += 1;
    url = nextLink(response.headers.get('link'));
    if (url) url = new URL(url, first).toString();
  }
  return { members, pages };
}
