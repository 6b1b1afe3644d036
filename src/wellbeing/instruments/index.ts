// The door to wellbeing/instruments/: the self-check library as data (items, answers, terms, sources, bands) and
// its pure scoring.
export { enabledInstrumentsFor } from './instruments.service';
export { allInstruments, bandOf, getInstrument, readAnswers, scoreInstrument } from './instruments.scoring';
export { pfizerNotice } from './phq.instruments';
export { instrumentIds } from './instrument.types';
export type {
  Instrument,
  InstrumentBand,
  InstrumentId,
  InstrumentItem,
  InstrumentOption,
  InstrumentScore,
  InstrumentSource,
} from './instrument.types';
