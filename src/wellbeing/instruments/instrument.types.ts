/** The self-checks Rounds ships (the same strings as a pack's `instrument` step, content/pack.schemas.ts). */
export const instrumentIds = ['phq-2', 'gad-2', 'pss-10', 'mini-z-2'] as const;
export type InstrumentId = (typeof instrumentIds)[number];

/** One answer a person can choose. `value` is what the form sends; `points` what it counts before reversal. */
export interface InstrumentOption {
  value: string;
  points: number;
  label: string;
}

export interface InstrumentItem {
  /** Unique across the library, so it doubles as the form field name and the start of its input ids. */
  id: string;
  /** 1-based position, as the instrument's authors number it. */
  number: number;
  text: string;
  options: InstrumentOption[];
  /** Counted as (highest points − points): PSS-10's positively worded items. */
  reverse?: boolean;
}

/** A range of totals and what it means, in plain language: never a diagnosis, never blaming. */
export interface InstrumentBand {
  id: string;
  label: string;
  min: number;
  max: number;
  meaning: string;
  /** A positive screen: support resources come first on the result page (PHQ-2/GAD-2 ≥ 3). */
  positive?: boolean;
}

export interface InstrumentSource {
  citation: string;
  url: string;
}

export interface Instrument {
  id: InstrumentId;
  name: string;
  /** What the instrument is about, in a sentence a learner reads before starting. */
  description: string;
  minutes: number;
  /** The instrument's own lead-in ("Over the last 2 weeks, …"). */
  timeframe: string;
  items: InstrumentItem[];
  minTotal: number;
  maxTotal: number;
  bands: InstrumentBand[];
  /** Text the authors ask to be shown with the instrument (the Pfizer notice). */
  notice?: string;
  /** Terms of use, shown to the tenant admin who confirms eligible use. */
  terms: string;
  /** Off until a tenant admin confirms eligible (non-commercial) use (ARCHITECTURE.md). */
  needsConsent: boolean;
  sources: InstrumentSource[];
  /** Mini Z: the single burnout item, and the highest points that still count as burnout. */
  burnoutItem?: { itemId: string; atOrBelow: number; meaning: string };
}

/** What a set of answers scores: never leaves the learner's sealed records. */
export interface InstrumentScore {
  total: number;
  band: string;
  positive: boolean;
  burnout?: boolean;
}
