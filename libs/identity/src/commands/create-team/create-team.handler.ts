import { Injectable } from '@nestjs/common';
import { newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { decide, existingOrganisation, organisationDecider } from '../../domain/organisation';
import { Actor } from '../actor';
import { onOrganisation, organisationStreamOf } from '../streams';

export interface CreateTeam {
  organisationId: string;
  name: string;
}

@Injectable()
export class CreateTeamHandler {
  constructor(private readonly store: EventStore) {}

  async execute(command: CreateTeam, actor: Actor): Promise<{ id: string; name: string; organisationId: string }> {
    const teamId = newId();
    const { state } = await handle(
      this.store,
      organisationStreamOf(command.organisationId),
      organisationDecider,
      (current) => decide({ type: 'CreateTeam', teamId, name: command.name }, current),
      onOrganisation(actor),
    );
    return { id: teamId, name: existingOrganisation(state).teams[teamId].name, organisationId: command.organisationId };
  }
}
