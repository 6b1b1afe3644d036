import { getInstrument } from '../instruments';
import { confirmableInstruments, type ConfirmableInstrument } from './settings.model';

/** What the admin page says about each instrument that needs a confirmation before learners see it. */
export interface InstrumentTerms {
  id: ConfirmableInstrument;
  /** The form field of its checkbox. */
  field: 'confirmPss10' | 'confirmMiniZ2';
  name: string;
  measures: string;
  terms: string[];
}

const fields: Record<ConfirmableInstrument, InstrumentTerms['field']> = {
  'pss-10': 'confirmPss10',
  'mini-z-2': 'confirmMiniZ2',
};

/**
 * The confirmable instruments as the instrument library describes them (one source for their names and terms;
 * DOMAIN.md "Well-being instruments"). A function, not a constant: the library's door imports this folder's.
 */
export function instrumentTerms(): InstrumentTerms[] {
  return confirmableInstruments.map((id) => {
    const instrument = getInstrument(id);
    return {
      id,
      field: fields[id],
      name: instrument.name,
      measures: instrument.description,
      terms: [
        instrument.terms,
        'Its results describe how things are for the person who answers; they are not a diagnosis.',
      ],
    };
  });
}
