import { DateTime } from 'luxon';
import mongoose from 'mongoose';
import type { Actor } from '../../shared/auth/actor';
import { NotFoundError } from '../../shared/errors';
import { TenantModel, UserModel } from '../../tenancy';
import { instrumentTerms, type InstrumentTerms } from './instrumentTerms';
import {
  confirmableInstruments,
  confirmationHistoryLimit,
  WellbeingSettingsModel,
  type ConfirmableInstrument,
} from './settings.model';
import type { SettingsForm } from './support.schemas';
import { assertCanManageWellbeingSettings } from './support.policy';

/** One instrument on the admin page: its terms, whether it is confirmed, and by whom and when. */
export interface InstrumentConfirmationView extends InstrumentTerms {
  confirmed: boolean;
  confirmedBy?: string;
  confirmedAt?: string;
}

/** A past change of a confirmation, for the page's history list. */
export interface ConfirmationEventView {
  instrument: string;
  action: 'confirmed' | 'withdrawn';
  by: string;
  at: string;
}

/** Everything the admin page shows, as stored (the form's values when nothing was typed yet). */
export interface SettingsPage {
  form: Omit<SettingsForm, 'confirmPss10' | 'confirmMiniZ2'> & Record<InstrumentTerms['field'], boolean>;
  instruments: InstrumentConfirmationView[];
  history: ConfirmationEventView[];
  timeZone: string;
}

const nameOf = (id: string) => instrumentTerms().find((terms) => terms.id === id)?.name ?? id;

function formatInstant(at: Date, timeZone: string): string {
  return DateTime.fromJSDate(at, { zone: timeZone }).toFormat("d LLLL yyyy 'at' HH:mm ZZZZ");
}

async function tenantTimeZone(tenantId: string): Promise<string> {
  const tenant = await TenantModel.findById(tenantId, { timeZone: 1 }).lean();
  if (!tenant) throw new NotFoundError();
  return tenant.timeZone || 'UTC';
}

/** The admin page of the actor's own tenant: EAP, time zone, and each instrument's confirmation with its history. */
export async function settingsPageFor(actor: Actor): Promise<SettingsPage> {
  assertCanManageWellbeingSettings(actor);
  const [timeZone, settings] = await Promise.all([
    tenantTimeZone(actor.tenantId),
    WellbeingSettingsModel.findOne({ tenantId: actor.tenantId }).lean(),
  ]);
  const confirmations = settings?.confirmations ?? [];
  const instruments = instrumentTerms().map((terms) => {
    const confirmation = confirmations.find((item) => item.instrument === terms.id);
    return {
      ...terms,
      confirmed: Boolean(confirmation),
      ...(confirmation
        ? {
            confirmedBy: confirmation.userName || 'an administrator',
            confirmedAt: formatInstant(confirmation.at, timeZone),
          }
        : {}),
    };
  });
  const history = [...(settings?.confirmationHistory ?? [])]
    .reverse()
    .slice(0, 10)
    .map((event) => ({
      instrument: nameOf(event.instrument),
      action: event.action,
      by: event.userName || 'an administrator',
      at: formatInstant(event.at, timeZone),
    }));
  const eap = settings?.eap;
  return {
    form: {
      eapName: eap?.name ?? '',
      eapPhone: eap?.phone ?? '',
      eapHours: eap?.hours ?? '',
      eapUrl: eap?.url ?? '',
      timeZone,
      confirmPss10: instruments.some((item) => item.id === 'pss-10' && item.confirmed),
      confirmMiniZ2: instruments.some((item) => item.id === 'mini-z-2' && item.confirmed),
    },
    instruments,
    history,
    timeZone,
  };
}

/** The instruments the form asks to be confirmed. */
function wantedConfirmations(form: SettingsForm): Set<ConfirmableInstrument> {
  const wanted = new Set<ConfirmableInstrument>();
  if (form.confirmPss10) wanted.add('pss-10');
  if (form.confirmMiniZ2) wanted.add('mini-z-2');
  return wanted;
}

/**
 * Saves the admin page of the actor's own tenant. A newly ticked instrument is confirmed in the admin's name, now;
 * an unticked one is withdrawn, which turns it off for learners again; each change is kept in the history. An
 * unchanged confirmation keeps its original confirmer and date.
 */
export async function saveSettings(actor: Actor, form: SettingsForm, now = new Date()): Promise<void> {
  assertCanManageWellbeingSettings(actor);
  const tenantId = new mongoose.Types.ObjectId(actor.tenantId);
  const current = await WellbeingSettingsModel.findOne({ tenantId }, { confirmations: 1 }).lean();
  const confirmations = current?.confirmations ?? [];
  const wanted = wantedConfirmations(form);
  const kept = confirmations.filter((item) => wanted.has(item.instrument as ConfirmableInstrument));
  const added = [...wanted].filter((id) => !confirmations.some((item) => item.instrument === id));
  const withdrawn = confirmations.filter((item) => !wanted.has(item.instrument as ConfirmableInstrument));
  const changed = added.length > 0 || withdrawn.length > 0;

  const by = changed ? await confirmer(actor, now) : undefined;
  const events = by
    ? [
        ...added.map((instrument) => ({ instrument, action: 'confirmed' as const, ...by })),
        ...withdrawn.map((item) => ({ instrument: item.instrument, action: 'withdrawn' as const, ...by })),
      ]
    : [];
  await Promise.all([
    WellbeingSettingsModel.updateOne(
      { tenantId },
      {
        $set: {
          eap: { name: form.eapName, phone: form.eapPhone, hours: form.eapHours, url: form.eapUrl },
          confirmations: [...kept, ...added.map((instrument) => ({ instrument, ...by! }))],
        },
        ...(events.length
          ? { $push: { confirmationHistory: { $each: events, $slice: -confirmationHistoryLimit } } }
          : {}),
      },
      { upsert: true },
    ),
    TenantModel.updateOne({ _id: tenantId }, { $set: { timeZone: form.timeZone } }),
  ]);
}

/** Who is confirming, by their full name as the LMS last sent it (the session carries only a first name). */
async function confirmer(actor: Actor, now: Date) {
  const user = await UserModel.findOne({ _id: actor.userId, tenantId: actor.tenantId }, { name: 1 }).lean();
  return {
    userId: new mongoose.Types.ObjectId(actor.userId),
    userName: user?.name || actor.name,
    at: now,
  };
}

/**
 * The instruments this tenant's admin has confirmed eligible (non-commercial) use of: PSS-10 and Mini Z 2.0 are
 * offered to learners only once listed here (ARCHITECTURE.md "Instruments ship as data with their terms").
 */
export async function confirmedInstruments(tenantId: string): Promise<ConfirmableInstrument[]> {
  if (!mongoose.isValidObjectId(tenantId)) return [];
  const settings = await WellbeingSettingsModel.findOne({ tenantId }, { confirmations: 1 }).lean();
  const confirmed = new Set((settings?.confirmations ?? []).map((item) => item.instrument));
  return confirmableInstruments.filter((id) => confirmed.has(id));
}
