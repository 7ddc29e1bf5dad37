import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { decide, existingOrganisation, organisationDecider } from '../../domain/organisation';
import { onOrganisation, organisationStreamOf } from '../streams';
import { CreateOrganisationCommand, NewOrganisation } from './create-organisation.command';

@CommandHandler(CreateOrganisationCommand)
export class CreateOrganisationHandler implements ICommandHandler<CreateOrganisationCommand> {
  constructor(private readonly store: EventStore) {}

  async execute({ name, actor }: CreateOrganisationCommand): Promise<NewOrganisation> {
    const organisationId = newId();
    const { state } = await handle(
      this.store,
      organisationStreamOf(organisationId),
      organisationDecider,
      (current) => decide({ type: 'CreateOrganisation', organisationId, name }, current),
      onOrganisation(actor),
    );
    return { id: organisationId, name: existingOrganisation(state).name };
  }
}
