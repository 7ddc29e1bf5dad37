import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { IdentityErrors } from '../../domain/identity-errors';
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
      {
        ...onOrganisation(actor),
        // The name is reserved with the creation, or nothing is appended (migration 1766100000000).
        append: {
          inTransaction: async (tx) => {
            const reserved: unknown[] = await tx.query(
              `INSERT INTO organisation_names (name_key, organisation_id) VALUES (lower(btrim($1)), $2)
               ON CONFLICT (name_key) DO NOTHING RETURNING organisation_id`,
              [name, organisationId],
            );
            if (reserved.length === 0) throw IdentityErrors.organisationNameTaken(name.trim());
          },
        },
      },
    );
    return { id: organisationId, name: existingOrganisation(state).name };
  }
}
