import { OutboxParkError } from './outbox.errors';
import { jsonOf, type PlatformServices, type ServicePlatform } from './platformServices.client';

/** AGS 2.0 scopes (§3.1). */
export const agsScopes = {
  lineItem: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
  lineItemReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
  resultReadOnly: 'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
  score: 'https://purl.imsglobal.org/spec/lti-ags/scope/score',
} as const;

/** AGS 2.0 media types (§3.2–3.4). */
const mediaType = {
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
  score: 'application/vnd.ims.lis.v1.score+json',
} as const;

/** Rounds marks the line items it creates with this resourceId, to find its own among the teacher's. */
const roundsResourceId = 'rounds';

/**
 * A service URL with `suffix` added to its path, its query kept: Moodle's line item URLs carry `?type_id=N`,
 * so `/scores` goes before the `?` (AGS 2.0 §3.4: scores live at the line item URL + "/scores").
 */
export function withPathSuffix(url: string, suffix: string): string {
  const parsed = new URL(url);
  parsed.pathname = parsed.pathname.replace(/\/+$/, '') + suffix;
  return parsed.toString();
}

/** A URL with query parameters set, keeping the ones it had (`type_id`). */
function withQuery(url: string, parameters: Record<string, string>): string {
  const parsed = new URL(url);
  for (const [name, value] of Object.entries(parameters)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

/** The part of an AGS 2.0 score (§3.4.x) Rounds sends. */
export interface AgsScore {
  userId: string;
  scoreGiven: number;
  scoreMaximum: number;
  comment?: string;
  /** ISO 8601 with time zone; Moodle refuses a score without one. */
  timestamp: string;
  activityProgress: string;
  gradingProgress: string;
}

/** Talks AGS to one platform with one set of granted scopes (one cached token). */
export class AgsClient {
  constructor(
    private readonly services: PlatformServices,
    private readonly platform: ServicePlatform,
    private readonly scopes: string[],
  ) {}

  /** Rounds' line item for a resource link, if the platform has one (§3.2.3 `resource_link_id` filter). */
  async findLineItem(lineItemsUrl: string, resourceLinkId: string): Promise<string | undefined> {
    const what = 'looking for the grade item';
    const response = await this.services.request(
      this.platform,
      this.scopes,
      withQuery(lineItemsUrl, { resource_link_id: resourceLinkId }),
      { headers: { accept: mediaType.lineItemContainer } },
      what,
    );
    const items = jsonOf(response, what) as Array<{
      id?: string;
      resourceLinkId?: string;
      resourceId?: string;
    }>;
    const ofLink = (Array.isArray(items) ? items : []).filter(
      (item) => typeof item.id === 'string' && (item.resourceLinkId ?? resourceLinkId) === resourceLinkId,
    );
    return (ofLink.find((item) => item.resourceId === roundsResourceId) ?? ofLink[0])?.id;
  }

  /** Creates a line item bound to the resource link (§3.2.5); resolves with its URL. */
  async createLineItem(
    lineItemsUrl: string,
    lineItem: { label: string; scoreMaximum: number; resourceLinkId: string },
  ): Promise<string> {
    const what = 'creating the grade item';
    const response = await this.services.request(
      this.platform,
      this.scopes,
      lineItemsUrl,
      {
        method: 'POST',
        headers: { 'content-type': mediaType.lineItem, accept: mediaType.lineItem },
        body: JSON.stringify({ ...lineItem, resourceId: roundsResourceId }),
      },
      what,
    );
    const created = jsonOf(response, what) as { id?: unknown } | null;
    if (typeof created?.id !== 'string') {
      throw new OutboxParkError('The LMS created a grade item but did not say its URL.');
    }
    return created.id;
  }

  /** Posts a score to a line item (§3.4). */
  async postScore(lineItemUrl: string, score: AgsScore): Promise<void> {
    await this.services.request(
      this.platform,
      this.scopes,
      withPathSuffix(lineItemUrl, '/scores'),
      { method: 'POST', headers: { 'content-type': mediaType.score }, body: JSON.stringify(score) },
      'posting the score',
    );
  }

  /** The timestamp of the user's current result on a line item (§3.3), if the platform lists one. */
  async resultTimestamp(lineItemUrl: string, userId: string): Promise<Date | undefined> {
    const what = 'reading the gradebook';
    const response = await this.services.request(
      this.platform,
      this.scopes,
      withQuery(withPathSuffix(lineItemUrl, '/results'), { user_id: userId }),
      { headers: { accept: mediaType.resultContainer } },
      what,
    );
    const results = jsonOf(response, what) as Array<{ userId?: unknown; timestamp?: unknown }>;
    const mine = (Array.isArray(results) ? results : []).find((result) => String(result.userId) === userId);
    const at = typeof mine?.timestamp === 'string' ? new Date(mine.timestamp) : undefined;
    return at && !Number.isNaN(at.getTime()) ? at : undefined;
  }
}
