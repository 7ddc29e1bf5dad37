import {
  ARGUMENT_CODES,
  AdvocacyArgument,
  AdvocacyReception,
  Embedding,
  EMBEDDING_CODES,
  RECEPTION_CODES,
} from '@praxis/journal';

/**
 * The guide's own questions — is co-production becoming how we work, and
 * which case for it lands? — as counts over a set of reflections: how many sit
 * at each embedding level, each advocacy argument by its reception, and how
 * many had people with lived experience taking part. Every figure is a count
 * of reflections in the set (the share is such a count over the set's size),
 * so each one adds up across periods, teams and pressure levels exactly as a
 * challenge count does, and is published only where the set's cell is shown.
 */
export interface PracticeInput {
  /** Embedding ordinal 1–4 (one-off … organisational policy), or null when not said. */
  embedding: number | null;
  /** Argument ordinal 1–4 in ARGUMENT_CODES order, or null. */
  argument: number | null;
  /** Reception ordinal 1–3 in RECEPTION_CODES order, or null. */
  reception: number | null;
  lived: boolean | null;
}

export type NotSaid = 'not_said';
export const NOT_SAID: NotSaid = 'not_said';

export interface PracticeFigures {
  /** Reflections at each embedding level, and those that did not say. */
  embedding: Record<Embedding | NotSaid, number>;
  /** Reflections that made each argument, by how it was received (or not said); reflections without an argument are not counted. */
  advocacy: Record<AdvocacyArgument, Record<AdvocacyReception | NotSaid, number>>;
  /** Reflections with people with lived experience taking part, and their share of the set. */
  livedExperience: { involved: number; share: number | null };
}

export const embeddingOrdinal = (code: Embedding | null | undefined): number | null =>
  code ? EMBEDDING_CODES.indexOf(code) + 1 : null;
export const argumentOrdinal = (code: AdvocacyArgument | null | undefined): number | null =>
  code ? ARGUMENT_CODES.indexOf(code) + 1 : null;
export const receptionOrdinal = (code: AdvocacyReception | null | undefined): number | null =>
  code ? RECEPTION_CODES.indexOf(code) + 1 : null;

const E = EMBEDDING_CODES.length;
const R = RECEPTION_CODES.length + 1;

/** Running counts for one set of reflections. */
class Tally {
  readonly embedding = new Array<number>(E + 1).fill(0); // 0 = not said
  readonly advocacy = new Array<number>(ARGUMENT_CODES.length * R).fill(0); // reception 0 = not said
  involved = 0;
  size = 0;

  add(row: Partial<PracticeInput>): void {
    this.size += 1;
    this.embedding[row.embedding ?? 0] += 1;
    if (row.argument) this.advocacy[(row.argument - 1) * R + (row.reception ?? 0)] += 1;
    if (row.lived === true) this.involved += 1;
  }

  figures(): PracticeFigures {
    const embedding = Object.fromEntries(EMBEDDING_CODES.map((code, i) => [code, this.embedding[i + 1]])) as Record<
      Embedding | NotSaid,
      number
    >;
    embedding[NOT_SAID] = this.embedding[0];
    const advocacy = Object.fromEntries(
      ARGUMENT_CODES.map((argument, a) => {
        const receptions = Object.fromEntries(
          RECEPTION_CODES.map((reception, r) => [reception, this.advocacy[a * R + r + 1]]),
        ) as Record<AdvocacyReception | NotSaid, number>;
        receptions[NOT_SAID] = this.advocacy[a * R];
        return [argument, receptions];
      }),
    ) as PracticeFigures['advocacy'];
    const share = this.size ? Math.round((this.involved / this.size) * 1000) / 1000 : null;
    return { embedding, advocacy, livedExperience: { involved: this.involved, share } };
  }
}

/** The figures of one set of reflections. */
export function practiceFigures(rows: readonly Partial<PracticeInput>[]): PracticeFigures {
  const tally = new Tally();
  for (const row of rows) tally.add(row);
  return tally.figures();
}

/** The figures of a set of reflections ([0]) and of each pressure level 1–4 in it ([1]…[4]), in one pass. */
export function practiceFiguresByLevel(
  rows: readonly (Partial<PracticeInput> & { pressure: number })[],
): PracticeFigures[] {
  const tallies = [0, 1, 2, 3, 4].map(() => new Tally());
  for (const row of rows) {
    tallies[0].add(row);
    tallies[row.pressure].add(row);
  }
  return tallies.map((t) => t.figures());
}
