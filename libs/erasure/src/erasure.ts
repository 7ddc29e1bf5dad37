import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErasureStep } from '@praxis/common';
import { InlineProjectionRegistry, Projection, Recorded } from '@praxis/event-store';
import { AccountErasure } from '@praxis/identity';
import { INDIVIDUAL_READ_MODEL_ERASURE, KeyErasure, PersonalDataErased } from '@praxis/journal';
import { ORGANISATION_READ_MODEL_ERASURE } from '@praxis/projections';
import { ExportsErasure, RESEARCH_EXPORT_ERASURE } from '@praxis/research';

/**
 * "Erase my data", every step of it, in order. The journal appends
 * `PersonalDataErased`; then:
 *
 * 1. the individual read model drops their reflections (its inline projection,
 *    registered before this one, in the same transaction);
 * 2. their key is destroyed: what they wrote stays in the log as ciphertext no
 *    key opens (crypto-shredding);
 * 3. their account closes: no sign-in, no session, no token, no mail, no member list;
 * 4. every research export already built or being built that may count them
 *    goes back to the queue, its records deleted, to be built again without
 *    them (after step 2: the rebuild leaves out those whose key is destroyed);
 * 5. the organisation read model drops their reflections (async, from the log);
 * 6. research exports built from then on leave them out (staging, from the log).
 *
 * Steps 2, 3 and 4 run here, in the transaction that appends the event: all of it
 * commits, or none. The others forget the person as they read the event,
 * because they are rebuilt from the log where it stays. erasure.int-spec.ts
 * erases a person and checks every step.
 */
@Injectable()
export class Erasure implements Projection<PersonalDataErased>, OnModuleInit {
  readonly name = 'erasure';
  readonly eventTypes = ['PersonalDataErased'] as const;
  readonly steps: readonly ErasureStep[];

  constructor(
    private readonly registry: InlineProjectionRegistry,
    key: KeyErasure,
    account: AccountErasure,
    exports: ExportsErasure,
  ) {
    this.steps = [
      INDIVIDUAL_READ_MODEL_ERASURE,
      key,
      account,
      exports,
      ORGANISATION_READ_MODEL_ERASURE,
      RESEARCH_EXPORT_ERASURE,
    ];
  }

  onModuleInit(): void {
    this.registry.register(this);
  }

  async apply(events: Recorded<PersonalDataErased>[], tx: EntityManager): Promise<void> {
    for (const event of events) {
      const subject = { personId: event.data.personId, erasedAt: event.recordedAt };
      for (const step of this.steps) if (step.runs === 'with the erasure') await step.erase(subject, tx);
    }
  }
}
