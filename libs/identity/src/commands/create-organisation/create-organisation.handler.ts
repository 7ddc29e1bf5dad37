import { Injectable } from '@nestjs/common';
import { newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { decide, existingOrganisation, organisationDecider } from '../../domain/organisation';
import { Actor } from '../actor';
import { onOrganisation, organisationStreamOf } from '../streams';

export interface CreateOrganisation {
  name: string;
}

@Injectable()
export class CreateOrganisationHandler {
  constructor(private readonly store: EventStore) {}

  async execute(command: CreateOrganisation, actor: Actor): Promise<{ id: string; name: string }> {
    const organisationId = newId();
    const { state } = await handle(
      this.store,
      organisationStreamOf(organisationId),
      organisationDecider,
      (current) => decide({ type: 'CreateOrganisation', organisationId, name: command.name }, current),
      onOrganisation(actor),
    );
    return { id: organisationId, name: existingOrganisation(state).name };
  }
}
