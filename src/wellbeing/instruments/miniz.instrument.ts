import type { Instrument, InstrumentItem, InstrumentOption } from './instrument.types';

// Mini Z 2.0 (Linzer et al., Hennepin Healthcare): ten items scored 1–5 with 5 the most favourable, summed to
// 10–50; 40 or more describes a "joyful", supportive workplace. Item 2 is the single burnout item (Rohland 2004):
// "definitely burning out" (3) or worse counts as burnout. Item order and anchors follow the individual-scoring
// form of Mini Z 2.0; the in-between answers of the burnout item follow Rohland, Kruse & Rohrer (Stress and Health,
// 2004), whose single item the Mini Z adopted.

function scale(labels: [points: number, label: string][]): InstrumentOption[] {
  return labels.map(([points, label]) => ({ value: String(points), points, label }));
}

const agree = scale([
  [5, 'Agree strongly'],
  [4, 'Agree'],
  [3, 'Neither agree nor disagree'],
  [2, 'Disagree'],
  [1, 'Strongly disagree'],
]);
const disagree = scale([
  [5, 'Strongly disagree'],
  [4, 'Disagree'],
  [3, 'Neither agree nor disagree'],
  [2, 'Agree'],
  [1, 'Agree strongly'],
]);
const optimal = scale([
  [5, 'Optimal'],
  [4, 'Good'],
  [3, 'Satisfactory'],
  [2, 'Marginal'],
  [1, 'Poor'],
]);

const texts: [text: string, options: InstrumentOption[]][] = [
  ['Overall, I am satisfied with my current job.', agree],
  [
    'Using your own definition of “burnout”, please choose one of the answers below.',
    scale([
      [5, 'I enjoy my work. I have no symptoms of burnout.'],
      [
        4,
        'Occasionally I am under stress, and I don’t always have as much energy as I once did, but I don’t feel burned out.',
      ],
      [
        3,
        'I am definitely burning out and have one or more symptoms of burnout, such as emotional exhaustion.',
      ],
      [
        2,
        'The symptoms of burnout that I’m experiencing won’t go away. I think about frustration at work a lot.',
      ],
      [1, 'I feel completely burned out. I am at the point where I may need to seek help.'],
    ]),
  ],
  ['My professional values are well aligned with those of my clinical leaders.', agree],
  ['The degree to which my care team works efficiently together is:', optimal],
  ['My control over my workload is:', optimal],
  ['I feel a great deal of stress because of my job.', disagree],
  ['Sufficiency of time for documentation is:', optimal],
  [
    'The amount of time I spend on the electronic medical record (EMR) at home is:',
    scale([
      [5, 'Minimal or none'],
      [4, 'Modest'],
      [3, 'Satisfactory'],
      [2, 'Moderately high'],
      [1, 'Excessive'],
    ]),
  ],
  ['The EMR adds to the frustration of my day.', disagree],
  [
    'Which answer best describes the atmosphere in your primary work area?',
    scale([
      [5, 'Calm'],
      [4, 'Between calm and busy, but reasonable'],
      [3, 'Busy, but reasonable'],
      [2, 'Between busy, but reasonable and hectic'],
      [1, 'Hectic, chaotic'],
    ]),
  ],
];

const items: InstrumentItem[] = texts.map(([text, options], index) => ({
  id: `miniz-${index + 1}`,
  number: index + 1,
  text,
  options,
}));

const systemsNotPeople =
  'Burnout comes mainly from how work is organized, not from a lack of resilience (National Academy of Medicine).';

export const miniZ2: Instrument = {
  id: 'mini-z-2',
  name: 'Mini Z 2.0: your work life and burnout',
  description:
    'Ten questions about satisfaction, stress, burnout and the conditions of your work: workload, time, teamwork, the record system and the atmosphere.',
  minutes: 3,
  timeframe: 'Think about your work as it is these days, and choose the best answer to each question.',
  items,
  minTotal: 10,
  maxTotal: 50,
  bands: [
    {
      id: 'below-40',
      label: 'Parts of your work setting add stress (10 to 39)',
      min: 10,
      max: 39,
      meaning: `Your answers point to parts of your work setting that add stress, such as workload, time for documentation, teamwork or the atmosphere. ${systemsNotPeople} Your answers to each question show where the pressure is; it can help to talk about them with someone you trust and to raise them with your team or leaders.`,
    },
    {
      id: '40-or-more',
      label: 'A mostly supportive work setting (40 to 50)',
      min: 40,
      max: 50,
      meaning:
        'Your answers describe a work setting that mostly supports you, what the Mini Z’s authors call a joyful workplace. Things can change quickly in clinical work; you can take this check again at any time.',
    },
  ],
  burnoutItem: {
    itemId: 'miniz-2',
    atOrBelow: 3,
    meaning: `You chose “definitely burning out” or a stronger answer on the burnout question. You are not alone, and it is not a personal failing. ${systemsNotPeople} Talking with someone can help: a colleague you trust, your own doctor, your employee assistance program or one of the support lines.`,
  },
  terms:
    'The Mini Z may be used for research, program evaluation and education without restriction. Commercial or revenue-generating use needs permission from Mark Linzer, MD, or the Hennepin Healthcare Institute for Professional Worklife before use (www.professionalworklife.com). Confirm that your organization’s use is education, research or program evaluation before enabling it.',
  needsConsent: true,
  sources: [
    {
      citation:
        'Linzer M, et al. The Mini Z worklife and burnout reduction instrument: psychometrics and clinical implications. J Gen Intern Med. 2022.',
      url: 'https://www.professionalworklife.com/',
    },
    {
      citation:
        'The Mini Z 2.0 survey and its terms of use, as printed in: Evaluation of work satisfaction, stress, and burnout among US internal medicine physicians and trainees. JAMA Netw Open. 2020.',
      url: 'https://jamanetwork.com/journals/jamanetworkopen/fullarticle/2771447',
    },
  ],
};
