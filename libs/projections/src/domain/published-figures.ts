/**
 * Every figure a leader's answer can publish, declared as the linear forms it
 * reveals over the elementary cells (one team or no team × one ISO week × one
 * pressure level). This list is the one place a new figure is added: the
 * audit (suppression.ts) builds its equations from it, and the trend table
 * withholds what it says must be withheld.
 *
 * A mean is a sum over a count, so publishing it publishes the sum (rounding
 * is ignored: an attacker who knows the count often gets the exact sum back).
 * Spearman's ρ and the least-squares slope over a period need Σ pressure²,
 * Σ rung and Σ pressure × rung: the slope is (n·Σxy − Σx·Σy) / (n·Σx² − (Σx)²).
 * A weighted sum over a period whose pressure levels are not all known lets
 * anyone solve for the hidden levels (two hidden levels: n₁ + n₄ and 1·n₁ + 4·n₄
 * give both), so such forms are published only where every level is shown or
 * empty.
 */
export type Weight = 'one' | 'pressure' | 'pressureSquared';

export interface PublishedForm {
  /** The fields of a period in the answer (`TrendPeriod`) that publish this form. */
  fields: readonly string[];
  /** What is added up over the reflections. Forms of one measure are solved together; different measures never mix. */
  measure: string;
  /** `period`: once per shown period cell (all levels together); `level`: also once per shown pressure level of it. */
  scope: 'period' | 'level';
  /** Each reflection's term times its pressure ordinal, or its square. */
  weight: Weight;
  /** `shown`: wherever the cell is shown; `everyLevelKnown`: only where each pressure level of the period is shown or empty. */
  when: 'shown' | 'everyLevelKnown';
}

export const PUBLISHED_FORMS: readonly PublishedForm[] = [
  { fields: ['reflections', 'pressureByRung'], measure: 'reflections', scope: 'level', weight: 'one', when: 'shown' },
  { fields: ['meanPressure'], measure: 'reflections', scope: 'period', weight: 'pressure', when: 'everyLevelKnown' },
  {
    fields: ['association'],
    measure: 'reflections',
    scope: 'period',
    weight: 'pressureSquared',
    when: 'everyLevelKnown',
  },
  { fields: ['meanRung', 'pressureByRung'], measure: 'rung', scope: 'level', weight: 'one', when: 'shown' },
  { fields: ['association'], measure: 'rung', scope: 'period', weight: 'pressure', when: 'everyLevelKnown' },
  { fields: ['doingWithShare'], measure: 'doingWith', scope: 'period', weight: 'one', when: 'shown' },
  { fields: ['meanGap'], measure: 'aspired', scope: 'period', weight: 'one', when: 'shown' },
  { fields: ['meanGap'], measure: 'gap', scope: 'period', weight: 'one', when: 'shown' },
  // Each code is its own measure with the same shape; one stands for all.
  { fields: ['challenges', 'pressureByRung'], measure: 'challenge', scope: 'level', weight: 'one', when: 'shown' },
  { fields: ['principles'], measure: 'principle', scope: 'period', weight: 'one', when: 'shown' },
  // The guide's questions (practice-figures.ts): counts per embedding level and per argument × reception, overall and by
  // pressure level, and the lived-experience count behind its share.
  { fields: ['embedding', 'pressureByRung'], measure: 'embedding', scope: 'level', weight: 'one', when: 'shown' },
  { fields: ['advocacy', 'pressureByRung'], measure: 'advocacy', scope: 'level', weight: 'one', when: 'shown' },
  {
    fields: ['livedExperience', 'pressureByRung'],
    measure: 'livedExperience',
    scope: 'level',
    weight: 'one',
    when: 'shown',
  },
];

export const weightOf = (weight: Weight, level: number): number =>
  weight === 'one' ? 1 : weight === 'pressure' ? level : level * level;

/** The fields a shown period leaves out (as null) when not every pressure level of it is known. */
export function withheldFields(everyLevelKnown: boolean, forms: readonly PublishedForm[] = PUBLISHED_FORMS): string[] {
  if (everyLevelKnown) return [];
  return [...new Set(forms.filter((f) => f.when === 'everyLevelKnown').flatMap((f) => f.fields))];
}

/** What the audit must solve for one measure: whether its level cells are published, and its weighted period sums. */
export interface SystemShape {
  levelsPublished: boolean;
  weighted: { weight: Weight; when: PublishedForm['when'] }[];
}

/**
 * The distinct systems the forms make, leaving out any that another contains
 * (fewer published cells and fewer sums can only reveal less): with today's
 * figures, the number of reflections is the one system to solve.
 */
export function systemShapes(forms: readonly PublishedForm[] = PUBLISHED_FORMS): SystemShape[] {
  const byMeasure = new Map<string, SystemShape>();
  for (const form of forms) {
    const shape = byMeasure.get(form.measure) ?? { levelsPublished: false, weighted: [] };
    if (form.weight === 'one') shape.levelsPublished ||= form.scope === 'level';
    else if (!shape.weighted.some((w) => w.weight === form.weight && w.when === form.when))
      shape.weighted.push({ weight: form.weight, when: form.when });
    byMeasure.set(form.measure, shape);
  }
  const shapes = [...byMeasure.values()];
  const contains = (a: SystemShape, b: SystemShape) =>
    (a.levelsPublished || !b.levelsPublished) &&
    b.weighted.every((w) => a.weighted.some((v) => v.weight === w.weight && (v.when === w.when || v.when === 'shown')));
  const kept: SystemShape[] = [];
  shapes.forEach((shape, i) => {
    const covered = shapes.some((other, j) => j !== i && contains(other, shape) && (!contains(shape, other) || j < i));
    if (!covered) kept.push(shape);
  });
  return kept;
}
