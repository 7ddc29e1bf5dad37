import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, handle, StreamVersionConflictError } from '@praxis/event-store';
import { ContentSealer } from '../../application/content-sealer';
import { metadataOf } from '../../application/reflection-repository';
import { splitReflection } from '../../application/split';
import { JournalErrors } from '../../domain/journal-errors';
import { decide, reflectionDecider } from '../../domain/reflection';
import { reflectionStream } from '../../domain/reflection-events';
import { Recorded } from '../record-reflection/record-reflection.command';
import { AmendReflectionCommand } from './amend-reflection.command';

/**
 * One decision at the version the worker saw (If-Match): another person's or a
 * missing reflection is 404 first, then a stale version is 409.
 */
@CommandHandler(AmendReflectionCommand)
export class AmendReflectionHandler implements ICommandHandler<AmendReflectionCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly sealer: ContentSealer,
  ) {}

  async execute({
    authorId,
    reflectionId,
    expectedVersion,
    changes,
    correlationId,
  }: AmendReflectionCommand): Promise<Recorded> {
    const { fields, content } = splitReflection(changes as never, false);
    const sealed = await this.sealer.seal(authorId, content);
    try {
      const { version } = await handle(
        this.store,
        reflectionStream(reflectionId),
        reflectionDecider,
        (state) => decide({ type: 'AmendReflection', actorId: authorId, fields, content: sealed }, state),
        { expectedVersion, metadata: metadataOf({ actorId: authorId, correlationId }) },
      );
      return { id: reflectionId, version };
    } catch (error) {
      if (error instanceof StreamVersionConflictError) throw JournalErrors.stale(expectedVersion, error.actual);
      throw error;
    }
  }
}
