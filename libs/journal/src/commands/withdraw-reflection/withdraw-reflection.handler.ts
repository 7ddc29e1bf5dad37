import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handle } from '@praxis/event-store';
import { metadataOf } from '../../application/reflection-repository';
import { decide, reflectionDecider } from '../../domain/reflection';
import { reflectionStream } from '../../domain/reflection-events';
import { WithdrawReflectionCommand } from './withdraw-reflection.command';

@CommandHandler(WithdrawReflectionCommand)
export class WithdrawReflectionHandler implements ICommandHandler<WithdrawReflectionCommand> {
  constructor(private readonly store: EventStore) {}

  async execute({ authorId, reflectionId, correlationId }: WithdrawReflectionCommand): Promise<void> {
    await handle(
      this.store,
      reflectionStream(reflectionId),
      reflectionDecider,
      (state) => decide({ type: 'WithdrawReflection', actorId: authorId }, state),
      { retries: 0, metadata: metadataOf({ actorId: authorId, correlationId }) },
    );
  }
}
