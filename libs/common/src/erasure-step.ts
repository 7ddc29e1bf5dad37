import type { EntityManager } from 'typeorm';

/** The person being erased, and the time recorded on their `PersonalDataErased`. */
export interface ErasureSubject {
  personId: string;
  erasedAt: Date;
}

/**
 * One library's part in erasing a person; `@praxis/erasure` lists them all, in
 * order. Here, below every library, so each can contribute its step without
 * knowing the others.
 *
 * - `with the erasure`: runs in the very transaction that appends
 *   `PersonalDataErased`, after the steps listed before it: every one commits
 *   with the event, or none does.
 * - `from the log`: a read model that forgets the person when its reader (a
 *   projection, an export build) reaches the event. It must: it is rebuilt from
 *   the log, where the erasure stays, and that is also where it learns of it.
 */
export type ErasureStep = ErasureWithTheEvent | ErasureFromTheLog;

interface StepBase {
  /** What it erases, as the plan lists it: "the person's key (crypto-shredding)". */
  readonly name: string;
}

export interface ErasureWithTheEvent extends StepBase {
  readonly runs: 'with the erasure';
  erase(subject: ErasureSubject, tx: EntityManager): Promise<void>;
}

export interface ErasureFromTheLog extends StepBase {
  readonly runs: 'from the log';
  /** The projection or job that reads `PersonalDataErased` and drops what it holds of them. */
  readonly by: string;
}
