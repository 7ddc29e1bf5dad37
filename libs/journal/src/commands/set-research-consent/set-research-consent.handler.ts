import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { metadataOf } from '../../application/reflection-repository';
import { decidePerson, personDecider } from '../../domain/person';
import { personStream } from '../../domain/reflection-events';
import { ConsentState, SetResearchConsentCommand } from './set-research-consent.command';

@CommandHandler(SetResearchConsentCommand)
export class SetResearchConsentHandler implements ICommandHandler<SetResearchConsentCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async execute({ personId, granted }: SetResearchConsentCommand): Promise<ConsentState> {
    const at = this.clock.now().toISOString();
    // A lost race decides again: a double click's second request finds consent given and adds nothing.
    const { state } = await handle(
      this.store,
      personStream(personId),
      personDecider,
      (current) => decidePerson({ type: 'SetResearchConsent', personId, granted, at }, current),
      { retries: 3, metadata: metadataOf({ actorId: personId }) },
    );
    return { granted: state.consent, since: state.since };
  }
}
