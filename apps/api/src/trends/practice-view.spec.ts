import { practiceFigures } from '@praxis/projections';
import { hiddenLevelsNote, levelCoverage, PracticePeriod, practiceView } from './practice-view';

/** A shown cell of `n` reflections, all at "team norm", arguing "less risk" and met with resistance. */
const shownCell = (ordinal: number, n: number) => ({
  ordinal,
  suppressed: false,
  ...practiceFigures(new Array(n).fill({ embedding: 3, argument: 3, reception: 3, lived: true })),
});
const hiddenCell = (ordinal: number) => ({ ordinal, suppressed: true });

/** A shown month: levels 1 and 4 as given, 2 and 3 shown with 6 and 5 reflections. */
function month(period: string, resourced: 'shown' | 'hidden', survival: 'shown' | 'hidden'): PracticePeriod {
  const levels = [
    resourced === 'shown' ? shownCell(1, 7) : hiddenCell(1),
    shownCell(2, 6),
    shownCell(3, 5),
    survival === 'shown' ? shownCell(4, 5) : hiddenCell(4),
  ];
  return { period, suppressed: false, reflections: 20, ...practiceFigures([]), levels };
}
const notYet = (period: string): PracticePeriod => ({
  period,
  suppressed: true,
  open: true,
  appearsOnText: '18 January 2027',
  levels: [],
});
const REASON = 'fewer than 5 people, or it would reveal a hidden figure';

describe('pooled figures by pressure level, where a level is hidden', () => {
  // The demo's shape: "4. Survival" hidden in every month shown, "1. Resourced" shown in one of three, a quarter open.
  const periods = [
    month('2026-07', 'hidden', 'hidden'),
    month('2026-08', 'shown', 'hidden'),
    month('2026-09', 'hidden', 'hidden'),
    notYet('2026-10'),
  ];

  it('calls a level hidden in every period shown "hidden", never a level of zeros', () => {
    expect(levelCoverage(periods).map((c) => [c.ordinal, c.status, c.shownIn])).toEqual([
      [1, 'shown', 1],
      [2, 'shown', 3],
      [3, 'shown', 3],
      [4, 'hidden', 0],
    ]);
    const rows = practiceView(periods).levelRows;
    expect(rows.map((r) => [r.label, r.status])).toEqual([
      ['1. Resourced', 'shown'],
      ['2. Stretched', 'shown'],
      ['3. Severe', 'shown'],
      ['4. Survival', 'hidden'],
    ]);
    // The resourced column counts its one shown month: 7 reflections at "team norm".
    expect(rows[0].embedding).toEqual([0, 0, 7, 0, 0]);
  });

  it('says in a sentence which level is hidden throughout and which counts only some periods', () => {
    expect(hiddenLevelsNote(periods, 'month', REASON)).toEqual([
      '“1. Resourced” is shown in 1 of the 3 months shown, so its figures are from that month only.',
      '“4. Survival” is hidden in every month shown: fewer than 5 people, or it would reveal a hidden figure.',
    ]);
  });

  it('calls every level "not shown yet" when no period is published yet, and hidden when the periods are hidden', () => {
    expect(levelCoverage([notYet('2026-10'), notYet('2026-11')]).map((c) => c.status)).toEqual(
      new Array(4).fill('not-yet'),
    );
    const hidden = { period: '2026-06', suppressed: true, levels: [] };
    expect(levelCoverage([hidden, notYet('2026-10')]).map((c) => c.status)).toEqual(new Array(4).fill('hidden'));
    expect(hiddenLevelsNote([hidden], 'week', REASON)[0]).toBe(`“1. Resourced” is hidden in every week: ${REASON}.`);
  });

  it('leaves a worker’s own trends alone: nothing is hidden there, so a level with no reflections is shown as none', () => {
    const own: PracticePeriod[] = [
      { period: '2026-08', reflections: 6, ...practiceFigures([]), levels: [shownCell(2, 6)] },
    ];
    expect(levelCoverage(own).map((c) => c.status)).toEqual(new Array(4).fill('shown'));
    expect(hiddenLevelsNote(own, 'month', REASON)).toEqual([]);
    expect(practiceView(own).levelRows[3].embedding).toEqual([0, 0, 0, 0, 0]);
  });
});
