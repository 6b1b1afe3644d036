import { DateTime } from 'luxon';
import type { Actor } from '../../shared/auth/actor';
import { allInstruments, enabledInstrumentsFor, getInstrument, type Instrument } from '../instruments';
import { professionOf, supportResourcesFor } from '../support';
import { tenantTimeZone } from '../../tenancy';
import { findOwnResult, listOwnResults, type OwnResult } from './results.service';
import { trendChart } from './trend.chart';
import type { Vault } from './vault.service';

// What the check pages show, shaped from the services' answers. Only ever the actor's own results.

function dateLabel(date: Date, zone: string): string {
  return DateTime.fromJSDate(date).setZone(zone).setLocale('en-US').toFormat('d LLL yyyy, h:mm a');
}

function bandOf(instrument: Instrument, id: string) {
  return instrument.bands.find((band) => band.id === id) ?? instrument.bands[0]!;
}

/** The library page: the checks this tenant offers, what each is and how long it takes. */
export async function libraryFor(actor: Actor) {
  const enabled = new Set<string>(await enabledInstrumentsFor(actor.tenantId));
  const checks = allInstruments()
    .filter((instrument) => enabled.has(instrument.id))
    .map((instrument) => ({
      id: instrument.id,
      name: instrument.name,
      description: instrument.description,
      minutes: instrument.minutes,
      questions: instrument.items.length,
    }));
  return { checks };
}

/** One result page: support first on a positive screen, then the score and what it means, then what next. */
export async function resultPageFor(vault: Vault, actor: Actor, id: string, from: string | undefined) {
  const result = await findOwnResult(vault, actor, id);
  const instrument = getInstrument(result.instrument);
  const band = bandOf(instrument, result.band);
  const needsSupport = result.positive || result.burnout === true;
  const supportLines = needsSupport
    ? await supportResourcesFor(actor.tenantId, await professionOf(actor))
    : [];
  return {
    result,
    json: resultJson(result, instrument),
    page: {
      instrument,
      total: result.total,
      maxTotal: instrument.maxTotal,
      band,
      positive: result.positive,
      burnoutMeaning: result.burnout ? instrument.burnoutItem?.meaning : undefined,
      supportLines,
      showSupport: needsSupport,
      takenAt: dateLabel(result.takenAt, await tenantTimeZone(actor.tenantId)),
      continueHref: from ? `${from}/next` : undefined,
    },
  };
}

/** A result as the JSON API answers it (to its learner only). */
function resultJson(result: OwnResult, instrument: Instrument) {
  return {
    id: result.id,
    instrument: instrument.id,
    takenAt: result.takenAt.toISOString(),
    answers: result.answers,
    total: result.total,
    band: result.band,
    bandLabel: bandOf(instrument, result.band).label,
    positive: result.positive,
    ...(result.burnout === undefined ? {} : { burnout: result.burnout }),
  };
}

/** The "my results" page: per instrument taken, a trend chart and a table of every retake. */
export async function resultsPageFor(vault: Vault, actor: Actor) {
  const [results, zone] = await Promise.all([listOwnResults(vault, actor), tenantTimeZone(actor.tenantId)]);
  const instruments = allInstruments()
    .map((instrument) => {
      const mine = results.filter((result) => result.instrument === instrument.id);
      if (!mine.length) return null;
      const rows = mine.map((result) => ({
        id: result.id,
        total: result.total,
        dateLabel: dateLabel(result.takenAt, zone),
        axisLabel: DateTime.fromJSDate(result.takenAt)
          .setZone(zone)
          .setLocale('en-US')
          .toFormat('d LLL yyyy'),
        bandLabel: bandOf(instrument, result.band).label,
        burnout: result.burnout,
      }));
      return {
        id: instrument.id,
        name: instrument.name,
        maxTotal: instrument.maxTotal,
        chart: trendChart(instrument, rows),
        rows: [...rows].reverse(),
      };
    })
    .filter((entry) => entry !== null);
  return { instruments };
}
