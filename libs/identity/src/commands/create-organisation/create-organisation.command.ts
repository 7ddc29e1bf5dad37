import { Command } from '@nestjs/cqrs';
import { Actor } from '../actor';

export interface NewOrganisation {
  id: string;
  name: string;
}

export class CreateOrganisationCommand extends Command<NewOrganisation> {
  constructor(
    readonly name: string,
    readonly actor: Actor,
  ) {
    super();
  }
}
