import type { ConfirmableInstrument } from './settings.model';

/** What the admin page says about each instrument that needs a confirmation before learners see it. */
export interface InstrumentTerms {
  id: ConfirmableInstrument;
  /** The form field of its checkbox. */
  field: 'confirmPss10' | 'confirmMiniZ2';
  name: string;
  measures: string;
  terms: string[];
}

// DOMAIN.md "Well-being instruments": PSS-10 free for education/research, commercial use to be confirmed with the
// rights holder; Mini Z 2.0 free for education, research and program evaluation, commercial use needs permission.
export const instrumentTerms: InstrumentTerms[] = [
  {
    id: 'pss-10',
    field: 'confirmPss10',
    name: 'Perceived Stress Scale (PSS-10)',
    measures:
      'How unpredictable, uncontrollable and overloaded life has felt over the last month (10 questions).',
    terms: [
      'Free to use for non-commercial education and research (Cohen, Kamarck and Mermelstein, 1983).',
      'Commercial use, such as inside a product sold to others, needs permission from the rights holder.',
      'Its score bands (low, moderate, high) are conventional cut-offs, not population norms or a diagnosis.',
    ],
  },
  {
    id: 'mini-z-2',
    field: 'confirmMiniZ2',
    name: 'Mini Z 2.0 (burnout and work-life)',
    measures:
      'Burnout, stress, control over the workload, teamwork and time for documentation (10 questions).',
    terms: [
      'Free to use for education, research and program evaluation.',
      'Commercial use needs permission from its authors.',
      'It describes working conditions and burnout symptoms; it is not a diagnosis.',
    ],
  },
];
