import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { decide, existingOrganisation, organisationDecider } from '../../domain/organisation';
import { onOrganisation, organisationStreamOf } from '../streams';
import { TeamView } from '../../queries/identity-queries';
import { CreateTeamCommand } from './create-team.command';

@CommandHandler(CreateTeamCommand)
export class CreateTeamHandler implements ICommandHandler<CreateTeamCommand> {
  constructor(private readonly store: EventStore) {}

  async execute({ organisationId, name, actor }: CreateTeamCommand): Promise<TeamView> {
    const teamId = newId();
    const { state } = await handle(
      this.store,
      organisationStreamOf(organisationId),
      organisationDecider,
      (current) => decide({ type: 'CreateTeam', teamId, name }, current),
      onOrganisation(actor),
    );
    return { id: teamId, name: existingOrganisation(state).teams[teamId].name, organisationId };
  }
}
