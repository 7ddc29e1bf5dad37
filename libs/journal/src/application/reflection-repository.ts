import { Injectable } from '@nestjs/common';
import { AppendOptions, AppendResult, EventStore, ExpectedVersion, RecordedEvent } from '@praxis/event-store';
import { PersonEvent, personStream, ReflectionEvent, reflectionStream } from '../domain/reflection-events';
import { INITIAL_REFLECTION, ReflectionState, evolve } from '../domain/reflection';
import { INITIAL_PERSON, PersonState, evolvePerson } from '../domain/person';

export interface Actor {
  actorId: string;
  correlationId?: string;
}

const metadataOf = (actor: Actor) => ({
  actorId: actor.actorId,
  ...(actor.correlationId ? { correlationId: actor.correlationId } : {}),
});

/** Loads a stream into its state and appends what a decision produced. */
@Injectable()
export class JournalRepository {
  constructor(private readonly store: EventStore) {}

  async loadReflection(
    reflectionId: string,
  ): Promise<{ state: ReflectionState; version: number; events: RecordedEvent[] }> {
    const events = await this.store.readStream(reflectionStream(reflectionId));
    const state = events.reduce(
      (s, e) => evolve(s, { type: e.type, data: e.data } as ReflectionEvent),
      INITIAL_REFLECTION,
    );
    return { state, version: events.length ? events[events.length - 1].streamVersion : 0, events };
  }

  async loadPerson(personId: string): Promise<{ state: PersonState; version: number }> {
    const events = await this.store.readStream(personStream(personId));
    const state = events.reduce(
      (s, e) => evolvePerson(s, { type: e.type, data: e.data } as PersonEvent),
      INITIAL_PERSON,
    );
    return { state, version: events.length ? events[events.length - 1].streamVersion : 0 };
  }

  appendReflection(
    reflectionId: string,
    expected: ExpectedVersion,
    events: ReflectionEvent[],
    actor: Actor,
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    return this.store.append(
      reflectionStream(reflectionId),
      expected,
      events.map((e) => ({ ...e, metadata: metadataOf(actor) })),
      options,
    );
  }

  appendPerson(
    personId: string,
    expected: ExpectedVersion,
    events: PersonEvent[],
    actor: Actor,
  ): Promise<AppendResult> {
    return this.store.append(
      personStream(personId),
      expected,
      events.map((e) => ({ ...e, metadata: metadataOf(actor) })),
    );
  }
}
