import { Injectable } from '@nestjs/common';
import { newId } from '@praxis/common';
import { decide } from '../../domain/organisation';
import { Actor } from '../actor';
import { OrganisationRepository } from '../organisation-repository';

export interface CreateTeam {
  organisationId: string;
  name: string;
}

@Injectable()
export class CreateTeamHandler {
  constructor(private readonly organisations: OrganisationRepository) {}

  async execute(command: CreateTeam, actor: Actor): Promise<{ id: string; name: string; organisationId: string }> {
    const teamId = newId();
    const [created] = await this.organisations.update(
      command.organisationId,
      (state) => decide({ type: 'CreateTeam', teamId, name: command.name }, state),
      actor,
    );
    return { id: teamId, name: (created.data as { name: string }).name, organisationId: command.organisationId };
  }
}
