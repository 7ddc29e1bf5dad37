import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { StreamVersionConflictError } from '@praxis/event-store';
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
    if (!events.length) return;
    try {
      await this.repository.appendPerson(personId, version, events, { actorId: personId });
    } catch (error) {
      // A double click: the other request may have erased them first, which is what was asked.
      if (!(error instanceof StreamVersionConflictError) || !(await this.repository.loadPerson(personId)).state.erased)
        throw error;
    }
  }
}
