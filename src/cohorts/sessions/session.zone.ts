import type { Request, Response } from 'express';
import type { Config } from '../../config';
import { cookieName, crossSiteCookieOptions } from '../../shared/http/session';
import { isKnownZone } from './session.format';

/** Every IANA zone the runtime knows, for the zone choice. */
const allZones = Intl.supportedValuesOf('timeZone');

const yearMs = 365 * 24 * 3600 * 1000;

/**
 * The zone a viewer chose to read session times in: `?zone=` when given (remembered in a cookie for their next
 * pages; empty forgets it), else the remembered one; undefined means the cohort's own zone.
 */
export function chosenZone(req: Request, res: Response, config: Config): string | undefined {
  const name = cookieName(config, 'time_zone');
  const asked = req.query.zone;
  if (asked === '') {
    res.clearCookie(name, { ...crossSiteCookieOptions(config, 0), maxAge: undefined });
    return undefined;
  }
  if (isKnownZone(asked)) {
    res.cookie(name, asked, crossSiteCookieOptions(config, yearMs));
    return asked;
  }
  const remembered = (req.cookies as Record<string, unknown> | undefined)?.[name];
  return isKnownZone(remembered) ? remembered : undefined;
}

/** The zone choice's options, the current one selected. */
export function zoneChoices(current: string, cohortZone: string) {
  const usesCohortZone = current === cohortZone;
  return {
    cohortZone,
    usesCohortZone,
    // The cohort's own zone is the first option; marking it again below would select the wrong one.
    zones: allZones.map((zone) => ({ value: zone, selected: !usesCohortZone && zone === current })),
  };
}
