import { NotFoundError, ValidationError } from '../../shared/errors';
import { miniZ2 } from './miniz.instrument';
import { gad2, phq2 } from './phq.instruments';
import { pss10 } from './pss10.instrument';
import {
  instrumentIds,
  type Instrument,
  type InstrumentBand,
  type InstrumentId,
  type InstrumentItem,
  type InstrumentScore,
} from './instrument.types';

const library: Record<InstrumentId, Instrument> = {
  'phq-2': phq2,
  'gad-2': gad2,
  'pss-10': pss10,
  'mini-z-2': miniZ2,
};

/** Whether `id` names an instrument of the library (a narrowing guard for ids from requests and packs). */
export function isInstrumentId(id: unknown): id is InstrumentId {
  return typeof id === 'string' && (instrumentIds as readonly string[]).includes(id);
}

/** One instrument of the library; an unknown id is a 404, as any forged id is. */
export function getInstrument(id: string): Instrument {
  if (!isInstrumentId(id)) throw new NotFoundError('We could not find that self-check.');
  return library[id];
}

/** Every instrument, in library order. */
export function allInstruments(): Instrument[] {
  return instrumentIds.map((id) => library[id]);
}

/** The band a total falls in (bands cover min..max without gaps, checked by the unit tests). */
export function bandOf(instrument: Instrument, total: number): InstrumentBand {
  const band = instrument.bands.find((candidate) => total >= candidate.min && total <= candidate.max);
  if (!band) throw new Error(`${instrument.id}: no band holds ${total}`);
  return band;
}

/** The message for an item left unanswered or answered with something the form never offered. */
export function missingAnswerMessage(item: InstrumentItem): string {
  return `Choose an answer for question ${item.number}.`;
}

/**
 * The points each item counts, or the field errors when an item is missing or its answer is not one of its
 * options. Answers arrive as the form sends them (strings), or as numbers from code.
 */
export function readAnswers(
  instrument: Instrument,
  given: Record<string, unknown>,
): { answers: Record<string, number>; errors: Record<string, string> } {
  const answers: Record<string, number> = {};
  const errors: Record<string, string> = {};
  for (const item of instrument.items) {
    const raw = given[item.id];
    const value = typeof raw === 'number' ? String(raw) : raw;
    const option = item.options.find((candidate) => candidate.value === value);
    if (option) answers[item.id] = option.points;
    else errors[item.id] = missingAnswerMessage(item);
  }
  return { answers, errors };
}

/**
 * Scores a complete set of answers: the sum of each item's points (PSS-10's positive items reversed), its band,
 * whether it is a positive screen, and for the Mini Z whether the burnout item says burnout. A missing item or an
 * answer out of range is refused with a ValidationError naming the fields, never guessed.
 */
export function scoreInstrument(id: string, given: Record<string, unknown>): InstrumentScore {
  const instrument = getInstrument(id);
  const { answers, errors } = readAnswers(instrument, given);
  if (Object.keys(errors).length) throw new ValidationError('Some questions have no answer.', errors);
  let total = 0;
  for (const item of instrument.items) {
    const points = answers[item.id]!;
    const highest = Math.max(...item.options.map((option) => option.points));
    total += item.reverse ? highest - points : points;
  }
  const band = bandOf(instrument, total);
  const score: InstrumentScore = { total, band: band.id, positive: band.positive === true };
  if (instrument.burnoutItem) {
    score.burnout = answers[instrument.burnoutItem.itemId]! <= instrument.burnoutItem.atOrBelow;
  }
  return score;
}
