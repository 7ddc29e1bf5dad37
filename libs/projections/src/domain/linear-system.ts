/**
 * Exact linear algebra for the disclosure audit: which unknowns a set of
 * published linear equations pins down. Rows are sparse integer vectors
 * (column → coefficient) kept in reduced row echelon form without fractions
 * (each elimination step is `a·row − b·pivotRow`, then divided by the row's
 * gcd), so nothing is ever rounded. Coefficients here are tiny (0, ±1, pressure
 * levels and their squares), so plain numbers almost always suffice; the moment
 * one would leave the safe-integer range the whole solve starts again in BigInt.
 */
export type SparseRow = Map<number, number>;

interface Arithmetic<T> {
  from(n: number): T;
  mul(a: T, b: T): T;
  sub(a: T, b: T): T;
  gcd(a: T, b: T): T;
  div(a: T, b: T): T;
  isZero(a: T): boolean;
  negative(a: T): boolean;
  neg(a: T): T;
}

class Overflow extends Error {}

const NUMBERS: Arithmetic<number> = {
  from: (n) => n,
  mul: (a, b) => {
    const r = a * b;
    if (!Number.isSafeInteger(r)) throw new Overflow();
    return r;
  },
  sub: (a, b) => {
    const r = a - b;
    if (!Number.isSafeInteger(r)) throw new Overflow();
    return r;
  },
  gcd: (a, b) => {
    a = Math.abs(a);
    b = Math.abs(b);
    while (b) [a, b] = [b, a % b];
    return a;
  },
  div: (a, b) => a / b,
  isZero: (a) => a === 0,
  negative: (a) => a < 0,
  neg: (a) => -a,
};

const BIGINTS: Arithmetic<bigint> = {
  from: (n) => BigInt(n),
  mul: (a, b) => a * b,
  sub: (a, b) => a - b,
  gcd: (a, b) => {
    a = a < 0n ? -a : a;
    b = b < 0n ? -b : b;
    while (b) [a, b] = [b, a % b];
    return a;
  },
  div: (a, b) => a / b,
  isZero: (a) => a === 0n,
  negative: (a) => a < 0n,
  neg: (a) => -a,
};

/** A row space in reduced row echelon form over the integers (exact). */
class EchelonBasis<T> {
  /** pivot column → its row (holding no other pivot's column), pivot coefficient positive. */
  readonly rows = new Map<number, Map<number, T>>();
  private readonly order = new Map<number, number>();

  constructor(private readonly ar: Arithmetic<T>) {}

  /** Reduces `row` by the basis (in place); what is left is outside the row space (empty: inside). */
  reduce(row: Map<number, T>): Map<number, T> {
    const { ar } = this;
    // A basis row holds no other pivot's column, so reducing by one pivot neither adds nor removes
    // another: the pivots to apply are those the row holds now, in the order they joined.
    const pivots = [...row.keys()].filter((c) => this.rows.has(c));
    if (pivots.length > 1) pivots.sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    for (const p of pivots) {
      const f = row.get(p);
      if (f === undefined) continue;
      const prow = this.rows.get(p)!;
      if (combine(ar, row, prow.get(p)!, prow, f)) normalise(ar, row);
    }
    return row;
  }

  /** Adds a row; false when it was already in the span. */
  add(input: Map<number, T>): boolean {
    const { ar } = this;
    const row = this.reduce(input);
    if (row.size === 0) return false;
    const pivot = Math.min(...row.keys());
    if (ar.negative(row.get(pivot)!)) for (const [c, v] of row) row.set(c, ar.neg(v));
    normalise(ar, row);
    const lead = row.get(pivot)!;
    for (const prow of this.rows.values()) {
      const f = prow.get(pivot);
      if (f !== undefined) {
        if (combine(ar, prow, lead, row, f)) normalise(ar, prow);
      }
    }
    this.rows.set(pivot, row);
    this.order.set(pivot, this.order.size);
    return true;
  }

  /** Columns whose unit vector is in the row space: their value is pinned down. */
  pinned(): number[] {
    return [...this.rows].filter(([, row]) => row.size === 1).map(([pivot]) => pivot);
  }
}

/** target := a·target − f·source (source's coefficient at the pivot is a, target's is f), dropping zeros; true if target was scaled. */
function combine<T>(ar: Arithmetic<T>, target: Map<number, T>, a: T, source: Map<number, T>, f: T): boolean {
  const one = ar.from(1);
  // Pivots are mostly 1 (rows are kept divided by their gcd): then nothing to scale.
  const g = ar.isZero(ar.sub(a, one)) ? one : ar.gcd(a, f);
  const ta = ar.div(a, g);
  const sf = ar.div(f, g);
  const scaled = !ar.isZero(ar.sub(ta, one));
  if (scaled) for (const [c, v] of target) target.set(c, ar.mul(v, ta));
  for (const [c, v] of source) {
    const next = ar.sub(target.get(c) ?? ar.from(0), ar.mul(v, sf));
    if (ar.isZero(next)) target.delete(c);
    else target.set(c, next);
  }
  return scaled;
}

function normalise<T>(ar: Arithmetic<T>, row: Map<number, T>): void {
  let g = ar.from(0);
  for (const v of row.values()) g = ar.gcd(g, v);
  if (ar.isZero(g) || ar.isZero(ar.sub(g, ar.from(1)))) return;
  for (const [c, v] of row) row.set(c, ar.div(v, g));
}

/** The outcome of solving a system the way an attacker would. */
export interface Solution {
  /** Unknowns whose value the equations fix exactly. */
  pinned: number[];
  /** The reduced rows (integer coefficients), for bound checks. */
  rows: SparseRow[];
}

/**
 * Every unknown (column) that the rows determine, by exact elimination.
 * `rows` are integer coefficient vectors; they are not changed.
 */
export function solveExactly(rows: Iterable<SparseRow>): Solution {
  const list = [...rows];
  try {
    return solveWith(NUMBERS, list);
  } catch (error) {
    if (!(error instanceof Overflow)) throw error;
    return solveWith(BIGINTS, list);
  }
}

function solveWith<T>(ar: Arithmetic<T>, rows: SparseRow[]): Solution {
  const basis = new EchelonBasis(ar);
  for (const row of rows) {
    const copy = new Map<number, T>();
    for (const [c, v] of row) if (v !== 0) copy.set(c, ar.from(v));
    if (copy.size) basis.add(copy);
  }
  const reduced: SparseRow[] = [...basis.rows.values()].map((row) => {
    const out: SparseRow = new Map();
    // Only signs and sizes matter to the bound checks; a BigInt too large for a number keeps its sign.
    for (const [c, v] of row) out.set(c, Number(v));
    return out;
  });
  return { pinned: basis.pinned(), rows: reduced };
}

/**
 * Unknowns pinned by bounds, not by rank. Every unknown counts something, so
 * it is a whole number ≥ 0; each equation then bounds each of its unknowns by
 * the others' bounds, rounded to whole numbers, and the bounds are tightened
 * until nothing moves. Where an unknown's least and greatest values meet, it
 * is pinned — e = 5 − 2a and g = 3a − 5 leave only a = 2, though no equation
 * says so. (Propagation, not a full integer search: the tests' attacker runs
 * the same on another system of the same facts.) `value` gives an unknown's
 * true value; each row's published total is what those values make it.
 */
export function pinnedByBounds(
  rows: readonly SparseRow[],
  value: (column: number) => number,
  maxSteps = 200_000,
): number[] {
  // Only a row whose terms all have one sign bounds anything from above; without one nothing can be pinned.
  if (!rows.some(oneSigned)) return [];
  const index = new Map<number, number>(); // column → variable
  const columns: number[] = [];
  const equations = rows.map((row) => {
    const vars: number[] = [];
    const coef: number[] = [];
    let total = 0;
    for (const [c, v] of row) {
      let i = index.get(c);
      if (i === undefined) index.set(c, (i = columns.push(c) - 1));
      vars.push(i);
      coef.push(v);
      total += v * value(c);
    }
    return { vars, coef, total };
  });
  const lo = new Float64Array(columns.length);
  const hi = new Float64Array(columns.length).fill(Infinity);
  const rowsOf: number[][] = columns.map(() => []);
  equations.forEach((e, r) => e.vars.forEach((i) => rowsOf[i].push(r)));
  // A worklist: a row is looked at again only when one of its unknowns' bounds moved.
  const queued = new Uint8Array(equations.length).fill(1);
  const queue = equations.map((_, r) => r);
  for (let head = 0; head < queue.length && head < maxSteps; head++) {
    const r = queue[head];
    queued[r] = 0;
    const { vars, coef, total } = equations[r];
    // The row's least and greatest sum, finite parts and how many terms are unbounded, so each term's "others" is a subtraction.
    let least = 0;
    let most = 0;
    let leastInfinite = 0;
    let mostInfinite = 0;
    for (let t = 0; t < vars.length; t++) {
      const v = coef[t];
      const [l, m] = v > 0 ? [v * lo[vars[t]], v * hi[vars[t]]] : [v * hi[vars[t]], v * lo[vars[t]]];
      if (Number.isFinite(l)) least += l;
      else leastInfinite += 1;
      if (Number.isFinite(m)) most += m;
      else mostInfinite += 1;
    }
    for (let j = 0; j < vars.length; j++) {
      const v = coef[j];
      const i = vars[j];
      const [l, m] = v > 0 ? [v * lo[i], v * hi[i]] : [v * hi[i], v * lo[i]];
      const othersLeast =
        leastInfinite - (Number.isFinite(l) ? 0 : 1) > 0 ? -Infinity : least - (Number.isFinite(l) ? l : 0);
      const othersMost =
        mostInfinite - (Number.isFinite(m) ? 0 : 1) > 0 ? Infinity : most - (Number.isFinite(m) ? m : 0);
      // v·x = total − others
      const a = (total - othersMost) / v;
      const b = (total - othersLeast) / v;
      const [from, to] = v > 0 ? [a, b] : [b, a];
      const newLo = Number.isFinite(from) ? Math.max(lo[i], Math.ceil(from - 1e-9)) : lo[i];
      const newHi = Number.isFinite(to) ? Math.min(hi[i], Math.floor(to + 1e-9)) : hi[i];
      if (newLo === lo[i] && newHi === hi[i]) continue;
      // Keep the row's sums right for the terms after this one.
      const [l2, m2] = v > 0 ? [v * newLo, v * newHi] : [v * newHi, v * newLo];
      if (Number.isFinite(l)) least -= l;
      else leastInfinite -= 1;
      if (Number.isFinite(m)) most -= m;
      else mostInfinite -= 1;
      if (Number.isFinite(l2)) least += l2;
      else leastInfinite += 1;
      if (Number.isFinite(m2)) most += m2;
      else mostInfinite += 1;
      lo[i] = newLo;
      hi[i] = newHi;
      for (const other of rowsOf[i]) if (!queued[other] && other !== r) ((queued[other] = 1), queue.push(other));
    }
  }
  return columns.filter((_, i) => lo[i] === hi[i]);
}

function oneSigned(row: SparseRow): boolean {
  let sign = 0;
  for (const v of row.values()) {
    if (sign === 0) sign = Math.sign(v);
    else if (Math.sign(v) !== sign) return false;
  }
  return sign !== 0;
}

/** A row space to test vectors against (BigInt throughout: for tests and attackers, where speed does not matter). */
export class RowSpace {
  private readonly basis = new EchelonBasis(BIGINTS);

  constructor(rows: Iterable<SparseRow>) {
    for (const row of rows) this.add(row);
  }

  add(row: SparseRow): void {
    const copy = new Map<number, bigint>();
    for (const [c, v] of row) if (v !== 0) copy.set(c, BigInt(v));
    if (copy.size) this.basis.add(copy);
  }

  /** Whether `vector` is a combination of the rows: its value follows from theirs. */
  contains(vector: SparseRow): boolean {
    const copy = new Map<number, bigint>();
    for (const [c, v] of vector) if (v !== 0) copy.set(c, BigInt(v));
    return this.basis.reduce(copy).size === 0;
  }

  /** The reduced rows, with each coefficient's sign and size as a number. */
  rows(): SparseRow[] {
    return [...this.basis.rows.values()].map((row) => new Map([...row].map(([c, v]) => [c, Number(v)])));
  }
}
