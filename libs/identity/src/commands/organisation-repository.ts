import { Injectable } from '@nestjs/common';
import { isUuid } from '@praxis/common';
import { EventStore, StreamVersionConflictError } from '@praxis/event-store';
import { IdentityErrors } from '../domain/identity-errors';
import { organisationStream, OrganisationEvent } from '../domain/identity-events';
import { foldOrganisation, OrganisationState } from '../domain/organisation';
import { Actor, metadataOf } from './actor';

/**
 * Each round of racing writers lets at least one through, so n writers at once
 * need at most n attempts; 20 covers a burst of adds to one organisation, and a
 * short random pause keeps the losers from colliding again in step.
 */
const ATTEMPTS = 20;
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));

/** Loads an organisation's stream, decides, appends at the version it read. */
@Injectable()
export class OrganisationRepository {
  constructor(private readonly store: EventStore) {}

  async load(organisationId: string): Promise<{ state: OrganisationState; version: number }> {
    if (!isUuid(organisationId)) throw IdentityErrors.organisationNotFound();
    const events = await this.store.readStream(organisationStream(organisationId));
    return {
      state: foldOrganisation(events as unknown as OrganisationEvent[]),
      version: events.length ? events[events.length - 1].streamVersion : 0,
    };
  }

  /**
   * Appends what `decide` returns against the latest state. Another change to
   * the same organisation in between (a new member, a new team) is not the
   * caller's conflict to resolve, so it reloads and decides again.
   */
  async update(
    organisationId: string,
    decide: (state: OrganisationState) => OrganisationEvent[],
    actor: Actor,
  ): Promise<OrganisationEvent[]> {
    for (let attempt = 1; ; attempt++) {
      const { state, version } = await this.load(organisationId);
      const events = decide(state);
      if (events.length === 0) return events;
      try {
        await this.store.append(
          organisationStream(organisationId),
          version === 0 ? 'no_stream' : version,
          events.map((e) => ({ ...e, schemaVersion: 1, metadata: metadataOf(actor) })),
        );
        return events;
      } catch (error) {
        if (!(error instanceof StreamVersionConflictError) || attempt >= ATTEMPTS) throw error;
        await pause(attempt);
      }
    }
  }
}
