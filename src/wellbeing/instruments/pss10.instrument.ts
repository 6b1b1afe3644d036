import type { Instrument, InstrumentItem, InstrumentOption } from './instrument.types';

// Perceived Stress Scale, 10-item version (Cohen, Kamarck & Mermelstein 1983; Cohen & Williamson 1988). Items 4,
// 5, 7 and 8 are worded positively and reverse-scored; totals 0–40. The bands 0–13 / 14–26 / 27–40 are the
// conventional ranges, not norms (DOMAIN.md), so the meanings say so.

const howOften: InstrumentOption[] = [
  { value: '0', points: 0, label: 'Never' },
  { value: '1', points: 1, label: 'Almost never' },
  { value: '2', points: 2, label: 'Sometimes' },
  { value: '3', points: 3, label: 'Fairly often' },
  { value: '4', points: 4, label: 'Very often' },
];

const questions: [text: string, reverse: boolean][] = [
  ['been upset because of something that happened unexpectedly?', false],
  ['felt that you were unable to control the important things in your life?', false],
  ['felt nervous and “stressed”?', false],
  ['felt confident about your ability to handle your personal problems?', true],
  ['felt that things were going your way?', true],
  ['found that you could not cope with all the things that you had to do?', false],
  ['been able to control irritations in your life?', true],
  ['felt that you were on top of things?', true],
  ['been angered because of things that were outside of your control?', false],
  ['felt difficulties were piling up so high that you could not overcome them?', false],
];

const items: InstrumentItem[] = questions.map(([text, reverse], index) => ({
  id: `pss10-${index + 1}`,
  number: index + 1,
  text: `In the last month, how often have you ${text}`,
  options: howOften,
  ...(reverse ? { reverse: true } : {}),
}));

const notNorms =
  'These ranges are a common way to read the scale, not a diagnosis or a comparison with other people.';

export const pss10: Instrument = {
  id: 'pss-10',
  name: 'PSS-10: stress over the last month',
  description:
    'Ten questions about how unpredictable, uncontrollable and overloaded the last month has felt (the Perceived Stress Scale).',
  minutes: 3,
  timeframe:
    'The questions in this scale ask about your feelings and thoughts during the last month. In each case, indicate how often you felt or thought a certain way.',
  items,
  minTotal: 0,
  maxTotal: 40,
  bands: [
    {
      id: 'low',
      label: 'Low perceived stress (0 to 13)',
      min: 0,
      max: 13,
      meaning: `Over the last month, life has mostly felt manageable to you. ${notNorms} If that changes, the modules and the people around you are there.`,
    },
    {
      id: 'moderate',
      label: 'Moderate perceived stress (14 to 26)',
      min: 14,
      max: 26,
      meaning: `Over the last month, things have often felt unpredictable or heavy. That is a common response to demanding work and not a personal failing. ${notNorms} Short resets, sleep and talking it through with someone you trust can help; so can raising workload problems with your team.`,
    },
    {
      id: 'high',
      label: 'High perceived stress (27 to 40)',
      min: 27,
      max: 40,
      meaning: `Over the last month, things have often felt out of your control or piling up. Stress at this level usually comes from circumstances, not from a lack of resilience. ${notNorms} Please consider talking with someone: your own doctor, your employee assistance program or one of the support lines.`,
    },
  ],
  terms:
    'The Perceived Stress Scale may be used without permission for non-profit academic research and non-profit education (Dr Sheldon Cohen, Carnegie Mellon University). Any other use, including commercial products and services, needs the permission of the authors or their distributor. Confirm that your organization’s use is non-commercial education or research before enabling it.',
  needsConsent: true,
  sources: [
    {
      citation:
        'Cohen S, Kamarck T, Mermelstein R. A global measure of perceived stress. J Health Soc Behav. 1983;24(4):385–396.',
      url: 'https://pubmed.ncbi.nlm.nih.gov/6668417/',
    },
    {
      citation:
        'Cohen S, Williamson G. Perceived stress in a probability sample of the United States. In: Spacapan S, Oskamp S, eds. The Social Psychology of Health. Sage; 1988.',
      url: 'https://www.cmu.edu/dietrich/psychology/stress-immunity-disease-lab/scales/index.html',
    },
  ],
};
