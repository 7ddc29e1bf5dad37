import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { JournalRepository } from '../../application/reflection-repository';
import { decidePerson } from '../../domain/person';
import { ErasePersonalDataCommand } from './erase-personal-data.command';

/**
 * Appends PersonalDataErased; the inline projections in the same transaction
 * destroy the person's key, drop their rows from the read models and close
 * their account. The log keeps only ciphertext no key can open.
 */
@CommandHandler(ErasePersonalDataCommand)
export class ErasePersonalDataHandler implements ICommandHandler<ErasePersonalDataCommand, void> {
  constructor(private readonly repository: JournalRepository) {}

  async execute({ personId }: ErasePersonalDataCommand): Promise<void> {
    const { state, version } = await this.repository.loadPerson(personId);
    const events = decidePerson({ type: 'ErasePersonalData', personId }, state);
    if (events.length) await this.repository.appendPerson(personId, version, events, { actorId: personId });
  }
}
