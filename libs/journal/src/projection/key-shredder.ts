import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { InlineProjectionRegistry, Projection, Recorded, SubjectKeyStore } from '@praxis/event-store';
import { PersonalDataErased } from '../domain/reflection-events';

/**
 * Destroys a person's key in the very transaction that records their erasure:
 * either both happen or neither does. Replaying it is harmless (idempotent).
 */
@Injectable()
export class KeyShredder implements Projection<PersonalDataErased>, OnModuleInit {
  readonly name = 'journal-key-shredder';
  readonly eventTypes = ['PersonalDataErased'] as const;

  constructor(
    private readonly registry: InlineProjectionRegistry,
    private readonly keys: SubjectKeyStore,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async apply(events: Recorded<PersonalDataErased>[], tx: EntityManager): Promise<void> {
    for (const event of events) {
      await this.keys.destroy(event.data.personId, tx);
      // Their retry records name them and hash what they wrote: gone with the key.
      await tx.query(`DELETE FROM idempotency_keys WHERE key LIKE $1`, [`record-reflection:${event.data.personId}:%`]);
    }
  }
}
