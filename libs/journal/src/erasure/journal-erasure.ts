import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErasureFromTheLog, ErasureSubject, ErasureWithTheEvent } from '@praxis/common';
import { SubjectKeyStore } from '@praxis/event-store';
import { INDIVIDUAL_PROJECTION } from '../projection/individual-projection';

/**
 * Crypto-shredding: the person's key is destroyed, so every sealed word of
 * theirs in the log stays ciphertext that no key opens. Replaying it is harmless.
 */
@Injectable()
export class KeyErasure implements ErasureWithTheEvent {
  readonly name = "the person's key (crypto-shredding) and their retry records";
  readonly runs = 'with the erasure';

  constructor(private readonly keys: SubjectKeyStore) {}

  async erase({ personId, erasedAt }: ErasureSubject, tx: EntityManager): Promise<void> {
    await this.keys.destroy(personId, tx, erasedAt);
    // Their retry records name them and hash what they wrote: gone with the key.
    await tx.query(`DELETE FROM idempotency_keys WHERE key LIKE $1`, [`record-reflection:${personId}:%`]);
  }
}

/** The individual read model drops their reflections as it applies the event, inline: in the erasure's own transaction. */
export const INDIVIDUAL_READ_MODEL_ERASURE: ErasureFromTheLog = {
  name: 'their reflections in the individual read model (their journal, their trends)',
  runs: 'from the log',
  by: INDIVIDUAL_PROJECTION,
};
