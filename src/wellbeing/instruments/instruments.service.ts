import { confirmedInstruments } from '../support';
import { allInstruments } from './instruments.scoring';
import type { InstrumentId } from './instrument.types';

/**
 * The self-checks this tenant offers: PHQ-2 and GAD-2 always (free, notice kept); PSS-10 and Mini Z only once a
 * tenant admin has confirmed eligible, non-commercial use on the well-being settings page (ARCHITECTURE.md,
 * "Instruments ship as data with their terms").
 */
export async function enabledInstrumentsFor(tenantId: string): Promise<InstrumentId[]> {
  const confirmed = new Set<string>(await confirmedInstruments(tenantId));
  return allInstruments()
    .filter((instrument) => !instrument.needsConsent || confirmed.has(instrument.id))
    .map((instrument) => instrument.id);
}
