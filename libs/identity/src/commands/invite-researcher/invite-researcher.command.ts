import { Command } from '@nestjs/cqrs';
import { Actor } from '../actor';

export interface ResearcherInvited {
  id: string;
  email: string;
  role: 'researcher';
  status: 'invited';
}

export class InviteResearcherCommand extends Command<ResearcherInvited> {
  constructor(
    readonly email: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
