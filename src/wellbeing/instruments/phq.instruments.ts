import type { Instrument, InstrumentOption } from './instrument.types';

// PHQ-2 and GAD-2: the first two items of the PHQ-9 and GAD-7, free to use with the authors' notice kept
// (https://www.phqscreeners.com/). Items, answers and the cut-off of 3 are the published ones.

/** The notice the PHQ screeners' authors ask to be shown with every copy. */
export const pfizerNotice =
  'Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.';

const howOften: InstrumentOption[] = [
  { value: '0', points: 0, label: 'Not at all' },
  { value: '1', points: 1, label: 'Several days' },
  { value: '2', points: 2, label: 'More than half the days' },
  { value: '3', points: 3, label: 'Nearly every day' },
];

const timeframe = 'Over the last 2 weeks, how often have you been bothered by the following problems?';

const talkToSomeone =
  'This is a two-question check, not a diagnosis. Whatever your score, talking with someone you trust, your own doctor or your employee assistance program is always worth it.';

/**
 * The two bands both screeners share (cut-off 3 of 6), with what each means for this instrument's topic: below
 * the cut-off, and at or above it (positive: support comes first on the result page).
 */
function screeningBands(below: string, positive: string): Instrument['bands'] {
  return [
    {
      id: 'below-3',
      label: 'Below the screening cut-off (0 to 2)',
      min: 0,
      max: 2,
      meaning: `${below} ${talkToSomeone}`,
    },
    {
      id: '3-or-more',
      label: 'At or above the screening cut-off (3 to 6)',
      min: 3,
      max: 6,
      positive: true,
      meaning: positive,
    },
  ];
}

export const phq2: Instrument = {
  id: 'phq-2',
  name: 'PHQ-2: mood over the last two weeks',
  description:
    'Two questions about low mood and loss of interest, the first two of the widely used PHQ-9 questionnaire.',
  minutes: 1,
  timeframe,
  items: [
    { id: 'phq2-1', number: 1, text: 'Little interest or pleasure in doing things', options: howOften },
    { id: 'phq2-2', number: 2, text: 'Feeling down, depressed, or hopeless', options: howOften },
  ],
  minTotal: 0,
  maxTotal: 6,
  bands: screeningBands(
    'Your answers do not suggest that low mood or loss of interest has been getting in your way much over the last two weeks.',
    'Your answers suggest that low mood or loss of interest has been with you on many days over the last two weeks. That happens to many clinicians, often after long stretches of demanding work, and it is not a personal failing. This check is not a diagnosis: it is a sign that talking with someone could help, such as your own doctor, a counsellor, your employee assistance program or one of the lines on this page.',
  ),
  notice: pfizerNotice,
  terms: pfizerNotice,
  needsConsent: false,
  sources: [
    {
      citation:
        'Kroenke K, Spitzer RL, Williams JBW. The Patient Health Questionnaire-2: validity of a two-item depression screener. Med Care. 2003;41(11):1284–1292.',
      url: 'https://pubmed.ncbi.nlm.nih.gov/14583691/',
    },
    { citation: 'PHQ and GAD-7 instructions and screeners (Pfizer).', url: 'https://www.phqscreeners.com/' },
  ],
};

export const gad2: Instrument = {
  id: 'gad-2',
  name: 'GAD-2: worry and nerves over the last two weeks',
  description:
    'Two questions about feeling nervous and about worry, the first two of the GAD-7 questionnaire.',
  minutes: 1,
  timeframe,
  items: [
    { id: 'gad2-1', number: 1, text: 'Feeling nervous, anxious, or on edge', options: howOften },
    { id: 'gad2-2', number: 2, text: 'Not being able to stop or control worrying', options: howOften },
  ],
  minTotal: 0,
  maxTotal: 6,
  bands: screeningBands(
    'Your answers do not suggest that worry or nerves have been getting in your way much over the last two weeks.',
    'Your answers suggest that worry or feeling on edge has been with you on many days over the last two weeks. Clinical work puts many people there, and it is not a personal failing. This check is not a diagnosis: it is a sign that talking with someone could help, such as your own doctor, a counsellor, your employee assistance program or one of the lines on this page.',
  ),
  notice: pfizerNotice,
  terms: pfizerNotice,
  needsConsent: false,
  sources: [
    {
      citation:
        'Kroenke K, Spitzer RL, Williams JBW, Monahan PO, Löwe B. Anxiety disorders in primary care: prevalence, impairment, comorbidity, and detection. Ann Intern Med. 2007;146(5):317–325.',
      url: 'https://pubmed.ncbi.nlm.nih.gov/17339617/',
    },
    { citation: 'PHQ and GAD-7 instructions and screeners (Pfizer).', url: 'https://www.phqscreeners.com/' },
  ],
};
