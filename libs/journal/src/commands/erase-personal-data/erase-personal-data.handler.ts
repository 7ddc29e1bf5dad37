import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handle } from '@praxis/event-store';
import { metadataOf } from '../../application/reflection-repository';
import { decidePerson, personDecider } from '../../domain/person';
import { personStream } from '../../domain/reflection-events';
import { ErasePersonalDataCommand } from './erase-personal-data.command';

/**
 * Appends PersonalDataErased; every step that follows (the key destroyed, the
 * read models and the account emptied, research left out) is listed in order
 * in libs/erasure/src/erasure.ts. The log keeps only ciphertext no key can open.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand> {
  constructor(private readonly store: EventStore) {}

  async execute({ personId }: ErasePersonalDataCommand): Promise<void> {
    // A lost race decides again: after a double click's other request the person is erased and nothing more happens.
    await handle(
      this.store,
      personStream(personId),
      personDecider,
      (state) => decidePerson({ type: 'ErasePersonalData', personId }, state),
      { retries: 3, metadata: metadataOf({ actorId: personId }) },
    );
  }
}
