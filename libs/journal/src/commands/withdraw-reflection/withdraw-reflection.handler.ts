import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { JournalRepository } from '../../application/reflection-repository';
import { decide } from '../../domain/reflection';
import { WithdrawReflectionCommand } from './withdraw-reflection.command';

@CommandHandler(WithdrawReflectionCommand)
export class WithdrawReflectionHandler implements ICommandHandler<WithdrawReflectionCommand, void> {
  constructor(private readonly repository: JournalRepository) {}

  async execute({ authorId, reflectionId, correlationId }: WithdrawReflectionCommand): Promise<void> {
    const { state, version } = await this.repository.loadReflection(reflectionId);
    const events = decide({ type: 'WithdrawReflection', actorId: authorId }, state);
    await this.repository.appendReflection(reflectionId, version, events, { actorId: authorId, correlationId });
  }
}
