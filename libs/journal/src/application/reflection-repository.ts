import { Injectable } from '@nestjs/common';
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

/** Reads a person's own stream: their research consent, and whether they are erased. Commands go through `handle`. */
@Injectable()
export class JournalRepository {
  constructor(private readonly store: EventStore) {}

  loadPerson(personId: string): Promise<{ state: PersonState; version: number }> {
    return aggregateStream(this.store, personStream(personId), personDecider);
  }
}
