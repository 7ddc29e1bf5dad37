import { Injectable } from '@nestjs/common';
import { newId } from '@praxis/common';
import { decide } from '../../domain/organisation';
import { Actor } from '../actor';
import { OrganisationRepository } from '../organisation-repository';

export interface CreateOrganisation {
  name: string;
}

@Injectable()
export class CreateOrganisationHandler {
  constructor(private readonly organisations: OrganisationRepository) {}

  async execute(command: CreateOrganisation, actor: Actor): Promise<{ id: string; name: string }> {
    const organisationId = newId();
    const [created] = await this.organisations.update(
      organisationId,
      (state) => decide({ type: 'CreateOrganisation', organisationId, name: command.name }, state),
      actor,
    );
    return { id: organisationId, name: (created.data as { name: string }).name };
  }
}
