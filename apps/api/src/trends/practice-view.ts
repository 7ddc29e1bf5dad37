import { ARGUMENTS, EMBEDDINGS, PRESSURE, RECEPTIONS } from '@praxis/journal';
import { NOT_SAID, PracticeFigures } from '@praxis/projections';
import { periodName, periodShortName } from './period-words';

/** A period as both trends pages hold it: shown or hidden, its practice figures, and its pressure levels' cells. */
export interface PracticePeriod extends Partial<PracticeFigures> {
  period: string;
  suppressed?: boolean;
  /** A period not yet published (the dashboard's): hidden because it is not shown yet, whatever its size. */
  open?: boolean;
  appearsOnText?: string;
  reflections?: number;
  levels: (Partial<PracticeFigures> & { ordinal: number; suppressed?: boolean })[];
}

const EMBEDDING_KEYS = [...EMBEDDINGS.codes.map((c) => c.code as string), NOT_SAID];
const RECEPTION_KEYS = [...RECEPTIONS.codes.map((c) => c.code as string), NOT_SAID];

/** Columns of the embedding tables and the receptions of the advocacy ones, labelled. */
export const PRACTICE_HEADINGS = {
  embedding: [...EMBEDDINGS.codes.map((c) => c.label), 'Not said'],
  receptions: [...RECEPTIONS.codes.map((c) => c.label), 'Not said'],
};

const zeros = (n: number) => new Array<number>(n).fill(0);

/** Whether a pressure level's pooled figures can be read: from shown cells, or not at all (hidden, or not shown yet). */
export type LevelStatus = 'shown' | 'hidden' | 'not-yet';

export interface LevelCoverage {
  ordinal: number;
  /** The shown periods in which this level is shown: its pooled figures come from these only. */
  shownIn: number;
  /** The shown periods in which this level is hidden. */
  hiddenIn: number;
  status: LevelStatus;
}

/**
 * In how many of the periods shown each pressure level is shown. A level shown in none has no pooled figure: it is
 * hidden (or not shown yet), never 0 — only where nothing was hidden (a worker's own trends) does none mean none.
 */
export function levelCoverage(periods: PracticePeriod[]): LevelCoverage[] {
  const shownPeriods = periods.filter((p) => !p.suppressed);
  const privacyHidden = periods.some((p) => p.suppressed && !p.open);
  return PRESSURE.codes.map((level) => {
    const ordinal = level.ordinal!;
    const cells = shownPeriods.map((p) => p.levels.find((c) => c.ordinal === ordinal));
    const shownIn = cells.filter((c) => c && !c.suppressed).length;
    const hiddenIn = cells.filter((c) => c?.suppressed).length;
    const status: LevelStatus =
      shownIn > 0
        ? 'shown'
        : hiddenIn > 0 || privacyHidden
          ? 'hidden'
          : periods.some((p) => p.open)
            ? 'not-yet'
            : 'shown';
    return { ordinal, shownIn, hiddenIn, status };
  });
}

/**
 * The sentences under a table by pressure level, wherever a level is hidden in some period shown: which columns are
 * hidden throughout, and which count only some periods. Empty when every level is shown in every period shown.
 */
export function hiddenLevelsNote(periods: PracticePeriod[], periodWord: string, reason: string): string[] {
  const shown = periods.filter((p) => !p.suppressed).length;
  const some = (n: number) => `${n} ${periodWord}${n === 1 ? '' : 's'}`;
  return levelCoverage(periods).flatMap((c) => {
    const label = `“${c.ordinal}. ${PRESSURE.codes[c.ordinal - 1].label}”`;
    if (c.status === 'hidden') return [`${label} is hidden in every ${periodWord}${shown ? ' shown' : ''}: ${reason}.`];
    if (c.status === 'not-yet') return [`${label} is not shown yet.`];
    if (c.hiddenIn === 0) return [];
    const those = c.shownIn === 1 ? `that ${periodWord}` : `those ${some(c.shownIn)}`;
    return [`${label} is shown in ${c.shownIn} of the ${some(shown)} shown, so its figures are from ${those} only.`];
  });
}

/**
 * The tables (and chart data) of "How embedded is co-production?" and "Making
 * the case for co-production", for the dashboard and a worker's trends alike.
 * Pooled figures add up only cells that are shown: nothing hidden goes in.
 */
export function practiceView(periods: PracticePeriod[]) {
  const embeddingRows = periods.map((p) =>
    p.suppressed || !p.embedding
      ? {
          period: p.period,
          name: periodName(p.period),
          suppressed: true as const,
          open: p.open === true,
          note: p.open ? `Not shown yet: appears on ${p.appearsOnText}` : undefined,
        }
      : {
          period: p.period,
          name: periodName(p.period),
          suppressed: false as const,
          reflections: p.reflections ?? 0,
          counts: EMBEDDING_KEYS.map((k) => p.embedding![k as keyof PracticeFigures['embedding']]),
          livedShare: p.livedExperience?.share ?? null,
          lived: p.livedExperience?.involved ?? 0,
        },
  );
  const byLevel = PRESSURE.codes.map((level) => ({
    ordinal: level.ordinal!,
    label: `${level.ordinal}. ${level.label}`,
    embedding: zeros(EMBEDDING_KEYS.length),
    advocacy: ARGUMENTS.codes.map(() => zeros(RECEPTION_KEYS.length)),
  }));
  const advocacy = ARGUMENTS.codes.map(() => zeros(RECEPTION_KEYS.length));
  for (const p of periods) {
    if (p.suppressed || !p.advocacy) continue;
    ARGUMENTS.codes.forEach((a, i) =>
      RECEPTION_KEYS.forEach(
        (r, j) => (advocacy[i][j] += p.advocacy![a.code][r as keyof PracticeFigures['advocacy']['ethical']]),
      ),
    );
    for (const cell of p.levels) {
      if (cell.suppressed || !cell.embedding || !cell.advocacy) continue;
      const level = byLevel[cell.ordinal - 1];
      EMBEDDING_KEYS.forEach(
        (k, j) => (level.embedding[j] += cell.embedding![k as keyof PracticeFigures['embedding']]),
      );
      ARGUMENTS.codes.forEach((a, i) =>
        RECEPTION_KEYS.forEach(
          (r, j) => (level.advocacy[i][j] += cell.advocacy![a.code][r as keyof PracticeFigures['advocacy']['ethical']]),
        ),
      );
    }
  }
  const argumentRows = ARGUMENTS.codes.map((a, i) => ({
    label: a.label,
    counts: advocacy[i],
    total: advocacy[i].reduce((x, y) => x + y, 0),
  }));
  const coverage = levelCoverage(periods);
  const levelRows = byLevel.map((l, i) => ({
    label: l.label,
    status: coverage[i].status,
    embedding: l.embedding,
    arguments: ARGUMENTS.codes.map((a, i) => ({
      label: a.label,
      counts: l.advocacy[i],
      total: l.advocacy[i].reduce((x, y) => x + y, 0),
    })),
  }));
  const chart = {
    periods: embeddingRows.map((r) => ({
      period: r.period,
      label: periodShortName(r.period),
      suppressed: r.suppressed,
      open: r.suppressed && r.open,
      counts: r.suppressed ? null : r.counts,
    })),
    embeddingLabels: PRACTICE_HEADINGS.embedding,
    arguments: argumentRows.map((r) => ({ label: r.label, counts: r.counts })),
    receptionLabels: PRACTICE_HEADINGS.receptions,
  };
  return { headings: PRACTICE_HEADINGS, embeddingRows, argumentRows, levelRows, chartData: JSON.stringify(chart) };
}
