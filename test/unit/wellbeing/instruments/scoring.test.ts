import {
  allInstruments,
  getInstrument,
  pfizerNotice,
  scoreInstrument,
  type Instrument,
} from '../../../../src/wellbeing/instruments';
import { ValidationError } from '../../../../src/shared/errors';

/** Answers giving each item (in order) the option whose value is `values[i]`. */
function answersOf(instrument: Instrument, values: number[]): Record<string, string> {
  return Object.fromEntries(instrument.items.map((item, index) => [item.id, String(values[index])]));
}

const phq2 = getInstrument('phq-2');
const gad2 = getInstrument('gad-2');
const pss10 = getInstrument('pss-10');
const miniZ = getInstrument('mini-z-2');

describe('the library', () => {
  it('when each instrument is read, then its bands cover every total from min to max exactly once', () => {
    for (const instrument of allInstruments()) {
      for (let total = instrument.minTotal; total <= instrument.maxTotal; total++) {
        const holding = instrument.bands.filter((band) => total >= band.min && total <= band.max);
        expect([instrument.id, total, holding.length]).toEqual([instrument.id, total, 1]);
      }
      expect(instrument.sources.length).toBeGreaterThan(0);
      for (const source of instrument.sources) expect(source.url).toMatch(/^https:\/\//);
      for (const band of instrument.bands) expect(band.meaning.length).toBeGreaterThan(40);
    }
  });

  it('when PHQ-2 and GAD-2 are read, then they ask about the last 2 weeks with the four published answers and keep the Pfizer notice, on by default', () => {
    for (const instrument of [phq2, gad2]) {
      expect(instrument.timeframe).toMatch(/^Over the last 2 weeks/);
      expect(instrument.items[0]!.options.map((option) => option.label)).toEqual([
        'Not at all',
        'Several days',
        'More than half the days',
        'Nearly every day',
      ]);
      expect(instrument.notice).toBe(pfizerNotice);
      expect(instrument.needsConsent).toBe(false);
    }
    expect(pfizerNotice).toContain('No permission required to reproduce, translate, display or distribute.');
  });

  it('when PSS-10 and Mini Z are read, then they need a tenant’s confirmation and carry their terms', () => {
    for (const instrument of [pss10, miniZ]) {
      expect(instrument.needsConsent).toBe(true);
      expect(instrument.terms).toMatch(/commercial/i);
      expect(instrument.items).toHaveLength(10);
    }
    expect(pss10.items.filter((item) => item.reverse).map((item) => item.number)).toEqual([4, 5, 7, 8]);
    expect(pss10.sources[0]!.citation).toContain('Cohen S, Kamarck T, Mermelstein R');
  });

  it('when an unknown instrument is asked for, then it is not found', () => {
    expect(() => getInstrument('phq-9')).toThrow('We could not find that self-check.');
    expect(() => scoreInstrument('../etc', {})).toThrow('We could not find that self-check.');
  });
});

describe('PHQ-2 and GAD-2 cut-off', () => {
  it.each([
    ['phq-2', phq2],
    ['gad-2', gad2],
  ])('when %s totals 2, then it is below the cut-off; 3 is a positive screen', (id, instrument) => {
    expect(scoreInstrument(id, answersOf(instrument, [1, 1]))).toEqual({
      total: 2,
      band: 'below-3',
      positive: false,
    });
    expect(scoreInstrument(id, answersOf(instrument, [0, 3]))).toEqual({
      total: 3,
      band: '3-or-more',
      positive: true,
    });
    expect(scoreInstrument(id, answersOf(instrument, [0, 0])).total).toBe(0);
    expect(scoreInstrument(id, answersOf(instrument, [3, 3]))).toMatchObject({ total: 6, positive: true });
  });
});

describe('PSS-10 bands and reverse scoring', () => {
  // Items 4, 5, 7, 8 count 4 − answer: answering 4 ("Very often") there adds nothing.
  const reversedAtZero = [0, 0, 0, 4, 4, 0, 4, 4, 0, 0];

  it('when every answer is "Never", then the reversed items count 4 each: 16, moderate', () => {
    expect(scoreInstrument('pss-10', answersOf(pss10, Array(10).fill(0)))).toEqual({
      total: 16,
      band: 'moderate',
      positive: false,
    });
  });

  it('when the reversed items are answered "Very often" and the rest never, then the total is 0, low', () => {
    expect(scoreInstrument('pss-10', answersOf(pss10, reversedAtZero))).toMatchObject({
      total: 0,
      band: 'low',
    });
  });

  it('when the total is 13, then low; 14, moderate', () => {
    const thirteen = [4, 4, 4, 4, 4, 1, 4, 4, 0, 0]; // 4+4+4+0+0+1+0+0 = 13
    const fourteen = [4, 4, 4, 4, 4, 2, 4, 4, 0, 0];
    expect(scoreInstrument('pss-10', answersOf(pss10, thirteen))).toMatchObject({ total: 13, band: 'low' });
    expect(scoreInstrument('pss-10', answersOf(pss10, fourteen))).toMatchObject({
      total: 14,
      band: 'moderate',
    });
  });

  it('when the total is 26, then moderate; 27, high; 40, high', () => {
    // Non-reversed items 4+4+4+4+2+0 = 18; reversed items answered 2 count 2 each = 8: 26.
    const explicit26 = [4, 4, 4, 2, 2, 4, 2, 2, 2, 0];
    const explicit27 = [4, 4, 4, 2, 2, 4, 2, 2, 3, 0];
    expect(scoreInstrument('pss-10', answersOf(pss10, explicit26))).toMatchObject({
      total: 26,
      band: 'moderate',
    });
    expect(scoreInstrument('pss-10', answersOf(pss10, explicit27))).toMatchObject({
      total: 27,
      band: 'high',
    });
    expect(scoreInstrument('pss-10', answersOf(pss10, [4, 4, 4, 0, 0, 4, 0, 0, 4, 4]))).toMatchObject({
      total: 40,
      band: 'high',
    });
  });
});

describe('Mini Z 2.0 bands and the burnout item', () => {
  const burnoutIndex = miniZ.items.findIndex((item) => item.id === miniZ.burnoutItem!.itemId);

  it('when the burnout item is the second question, then "definitely burning out" is its answer worth 3', () => {
    expect(burnoutIndex).toBe(1);
    const definitely = miniZ.items[burnoutIndex]!.options.find((option) => option.points === 3)!;
    expect(definitely.label).toMatch(/definitely burning out/);
  });

  it('when the total is 39, then below 40; 40, a supportive setting; 10 and 50 are the ends', () => {
    const thirtyNine = [4, 4, 4, 4, 4, 4, 4, 4, 4, 3];
    const forty = Array(10).fill(4);
    expect(scoreInstrument('mini-z-2', answersOf(miniZ, thirtyNine))).toEqual({
      total: 39,
      band: 'below-40',
      positive: false,
      burnout: false,
    });
    expect(scoreInstrument('mini-z-2', answersOf(miniZ, forty))).toMatchObject({
      total: 40,
      band: '40-or-more',
    });
    expect(scoreInstrument('mini-z-2', answersOf(miniZ, Array(10).fill(1)))).toMatchObject({
      total: 10,
      band: 'below-40',
      burnout: true,
    });
    expect(scoreInstrument('mini-z-2', answersOf(miniZ, Array(10).fill(5)))).toMatchObject({
      total: 50,
      burnout: false,
    });
  });

  it('when the burnout answer is 4, then no burnout; 3 ("definitely burning out"), burnout, whatever the total', () => {
    const withBurnoutAnswer = (points: number) => {
      const values = Array(10).fill(5);
      values[burnoutIndex] = points;
      return scoreInstrument('mini-z-2', answersOf(miniZ, values));
    };
    expect(withBurnoutAnswer(4)).toMatchObject({ total: 49, burnout: false });
    expect(withBurnoutAnswer(3)).toMatchObject({ total: 48, band: '40-or-more', burnout: true });
    expect(withBurnoutAnswer(1).burnout).toBe(true);
  });
});

describe('answers that cannot be scored', () => {
  it('when an item is missing, then the score is refused naming that item', () => {
    const error = captured(() => scoreInstrument('phq-2', { 'phq2-1': '2' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields).toEqual({ 'phq2-2': 'Choose an answer for question 2.' });
  });

  it('when an answer is out of range, not a whole number or not an answer at all, then it is refused', () => {
    for (const bad of ['4', '-1', '1.5', '', 'Several days', 3.5, null, ['1']]) {
      const error = captured(() => scoreInstrument('gad-2', { 'gad2-1': '0', 'gad2-2': bad }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fields)).toEqual(['gad2-2']);
    }
    // PSS-10 answers stop at 4, Mini Z answers start at 1.
    expect(() => scoreInstrument('pss-10', answersOf(pss10, [5, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toThrow(
      ValidationError,
    );
    expect(() => scoreInstrument('mini-z-2', answersOf(miniZ, [0, 5, 5, 5, 5, 5, 5, 5, 5, 5]))).toThrow(
      ValidationError,
    );
  });

  it('when answers come as numbers from code, then they score like the form’s strings', () => {
    expect(scoreInstrument('phq-2', { 'phq2-1': 2, 'phq2-2': 1 }).total).toBe(3);
  });
});

function captured(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
