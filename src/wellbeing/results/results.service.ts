import { DateTime } from 'luxon';
import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import { tenantTimeZone } from '../../tenancy';
import { enabledInstrumentsFor, getInstrument, scoreInstrument, type Instrument } from '../instruments';
import { newRecordId, tallyToken, type Sealed } from './vault.crypto';
import { WellbeingResultModel, WellbeingTallyModel } from './vault.models';
import {
  dataKeyFor,
  destroyDataKey,
  findDataKey,
  openResult,
  ownerFilter,
  sealResult,
  type Owner,
  type ResultPayload,
  type Vault,
} from './vault.service';

/** A result as its learner sees it, opened. */
export interface OwnResult extends Omit<ResultPayload, 'takenAt'> {
  id: string;
  takenAt: Date;
}

function ownerOf(actor: Actor): Owner {
  return { tenantId: actor.tenantId, userId: actor.userId };
}

/** The instrument, when this tenant offers it; otherwise a 404, as for an instrument that does not exist. */
export async function enabledInstrument(actor: Actor, id: string): Promise<Instrument> {
  const instrument = getInstrument(id);
  if (!(await enabledInstrumentsFor(actor.tenantId)).includes(instrument.id)) throw new NotFoundError();
  return instrument;
}

/**
 * Scores and saves the actor's answers, sealed under their own data key, and counts them (anonymously) in the
 * month's tally, replacing their earlier band that month. Refuses incomplete answers (ValidationError) and
 * instruments the tenant does not offer (404). Returns the new record's id. `offered` is an instrument id, or the
 * instrument `enabledInstrument` already returned for this request (the form's route), so it is not read twice.
 */
export async function saveResult(
  vault: Vault,
  actor: Actor,
  offered: string | Instrument,
  given: Record<string, unknown>,
  options: { now?: Date } = {},
): Promise<string> {
  const instrument = typeof offered === 'string' ? await enabledInstrument(actor, offered) : offered;
  const score = scoreInstrument(instrument.id, given);
  const answers = Object.fromEntries(
    instrument.items.map((item) => [item.id, Number(given[item.id])] as const),
  );
  const takenAt = options.now ?? new Date();
  const month = DateTime.fromJSDate(takenAt)
    .setZone(await tenantTimeZone(actor.tenantId))
    .toFormat('yyyy-MM');
  const payload: ResultPayload = {
    v: 1,
    instrument: instrument.id,
    answers,
    ...score,
    takenAt: takenAt.toISOString(),
    month,
  };

  const owner = ownerOf(actor);
  const dataKey = await dataKeyFor(vault, owner);
  const id = newRecordId();
  await WellbeingResultModel.create({
    _id: id,
    ...ownerFilter(owner),
    sealed: sealResult(dataKey, owner, id, payload),
  });
  const token = tallyToken(dataKey, owner.tenantId, instrument.id, month);
  await WellbeingTallyModel.updateOne(
    { _id: token },
    {
      $set: { band: score.band },
      $setOnInsert: { tenantId: owner.tenantId, instrument: instrument.id, month },
    },
    { upsert: true },
  );
  return id;
}

/** Every result of the actor's, opened, oldest first. Records that do not open with their key are skipped. */
export async function listOwnResults(vault: Vault, actor: Actor): Promise<OwnResult[]> {
  const owner = ownerOf(actor);
  const dataKey = await findDataKey(vault, owner);
  if (!dataKey) return [];
  const records = await WellbeingResultModel.find(ownerFilter(owner)).lean();
  return records
    .map((record) => toOwnResult(record._id, openResult(dataKey, owner, record._id, record.sealed as Sealed)))
    .filter((result): result is OwnResult => result !== null)
    .sort((a, b) => a.takenAt.getTime() - b.takenAt.getTime());
}

/** One of the actor's own results; anyone else's (or a forged id) is a 404. */
export async function findOwnResult(vault: Vault, actor: Actor, id: string): Promise<OwnResult> {
  const owner = ownerOf(actor);
  const record = await WellbeingResultModel.findOne({ _id: id, ...ownerFilter(owner) }).lean();
  const dataKey = record ? await findDataKey(vault, owner) : null;
  const result =
    record && dataKey ? toOwnResult(id, openResult(dataKey, owner, id, record.sealed as Sealed)) : null;
  if (!result) throw new NotFoundError('We could not find that result.');
  return result;
}

function toOwnResult(id: string, payload: ResultPayload | null): OwnResult | null {
  return payload ? { ...payload, id, takenAt: new Date(payload.takenAt) } : null;
}

/** All of the actor's well-being data, opened, as they download it: each result with its questions and answers. */
export async function exportOwnData(vault: Vault, actor: Actor) {
  const results = await listOwnResults(vault, actor);
  return {
    exportedAt: new Date().toISOString(),
    about:
      'Your Rounds self-check results. Only you can see them; nobody at your organization or in your LMS can.',
    results: results.map((result) => {
      const instrument = getInstrument(result.instrument);
      return {
        id: result.id,
        instrument: instrument.id,
        instrumentName: instrument.name,
        takenAt: result.takenAt.toISOString(),
        answers: instrument.items.map((item) => ({
          question: item.text,
          answer: item.options.find((option) => option.points === result.answers[item.id])?.label ?? null,
          points: result.answers[item.id] ?? null,
        })),
        total: result.total,
        band: instrument.bands.find((band) => band.id === result.band)?.label ?? result.band,
        positiveScreen: result.positive,
        ...(result.burnout === undefined ? {} : { burnout: result.burnout }),
      };
    }),
  };
}

/**
 * Deletes the actor's well-being data for good: first their tallies (found with their key), then their results,
 * then their data key, so an interrupted deletion can run again and any copy left anywhere stays sealed.
 */
export async function deleteOwnData(vault: Vault, actor: Actor): Promise<{ deleted: number }> {
  const owner = ownerOf(actor);
  const dataKey = await findDataKey(vault, owner);
  if (dataKey) {
    const results = await listOwnResults(vault, actor);
    const tokens = [
      ...new Set(results.map((r) => tallyToken(dataKey, owner.tenantId, r.instrument, r.month))),
    ];
    if (tokens.length)
      await WellbeingTallyModel.deleteMany({ _id: { $in: tokens }, tenantId: owner.tenantId });
  }
  const { deletedCount } = await WellbeingResultModel.deleteMany(ownerFilter(owner));
  await destroyDataKey(owner);
  return { deleted: deletedCount };
}
