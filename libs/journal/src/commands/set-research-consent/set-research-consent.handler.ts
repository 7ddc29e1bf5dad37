import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@praxis/common';
import { JournalRepository } from '../../application/reflection-repository';
import { decidePerson } from '../../domain/person';
import { ConsentState, SetResearchConsentCommand } from './set-research-consent.command';

@CommandHandler(SetResearchConsentCommand)
export class SetResearchConsentHandler implements ICommandHandler<SetResearchConsentCommand, ConsentState> {
  constructor(
    private readonly repository: JournalRepository,
    private readonly clock: Clock,
  ) {}

  async execute({ personId, granted }: SetResearchConsentCommand): Promise<ConsentState> {
    const { state, version } = await this.repository.loadPerson(personId);
    const events = decidePerson(
      { type: 'SetResearchConsent', personId, granted, at: this.clock.now().toISOString() },
      state,
    );
    if (events.length === 0) return { granted: state.consent, since: state.since };
    await this.repository.appendPerson(personId, version, events, { actorId: personId });
    const event = events[0] as { data: { since: string } };
    return { granted, since: event.data.since };
  }
}
