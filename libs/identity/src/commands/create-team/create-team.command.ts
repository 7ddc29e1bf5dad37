import { Command } from '@nestjs/cqrs';
import { TeamView } from '../../queries/identity-queries';
import { Actor } from '../actor';

export class CreateTeamCommand extends Command<TeamView> {
  constructor(
    readonly organisationId: string,
    readonly name: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
