import { Command } from '@nestjs/cqrs';
export class SetResearchConsentCommand extends Command<ConsentState> {
  constructor(
    readonly personId: string,
    readonly granted: boolean,
  ) {
    super();
  }
}

export interface ConsentState {
  granted: boolean;
  since: string | null;
}
