import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { aggregateStream, EventStore } from '@praxis/event-store';
import { personStream } from '../domain/reflection-events';
import { PersonState, personDecider } from '../domain/person';

export interface Actor {
  actorId: string;
  correlationId?: string;
}

export const metadataOf = (actor: Actor) => ({
  actorId: actor.actorId,
  ...(actor.correlationId ? { correlationId: actor.correlationId } : {}),
});

export interface PersonAt {
  state: PersonState;
  version: number;
}

/** How many people's states a process keeps between their reflections. */
const KEPT_PEOPLE = 10_000;

/** Reads a person's own stream: their research consent, and whether they are erased. Commands go through `handle`. */
@Injectable()
export class JournalRepository {
  private readonly kept = new LRUCache<string, PersonAt>({ max: KEPT_PEOPLE });

  constructor(private readonly store: EventStore) {}

  loadPerson(personId: string): Promise<PersonAt> {
    return aggregateStream(this.store, personStream(personId), personDecider);
  }

  /**
   * The person as last read by this process, else read now. Possibly stale: decide on it
   * only with an append that expects the person's stream still at `version` (`alsoExpect`),
   * and `forget` them when it was not.
   */
  async keptPerson(personId: string): Promise<PersonAt> {
    const kept = this.kept.get(personId);
    if (kept) return kept;
    const person = await this.loadPerson(personId);
    this.kept.set(personId, person);
    return person;
  }

  forget(personId: string): void {
    this.kept.delete(personId);
  }
}
