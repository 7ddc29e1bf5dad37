import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ConflictError } from '@praxis/common';
import { ContentSealer } from '../../application/content-sealer';
import { JournalRepository } from '../../application/reflection-repository';
import { splitReflection } from '../../application/split';
import { decide } from '../../domain/reflection';
import { Recorded } from '../record-reflection/record-reflection.command';
import { AmendReflectionCommand } from './amend-reflection.command';

@CommandHandler(AmendReflectionCommand)
export class AmendReflectionHandler implements ICommandHandler<AmendReflectionCommand, Recorded> {
  constructor(
    private readonly repository: JournalRepository,
    private readonly sealer: ContentSealer,
  ) {}

  async execute({
    authorId,
    reflectionId,
    expectedVersion,
    changes,
    correlationId,
  }: AmendReflectionCommand): Promise<Recorded> {
    const { state, version } = await this.repository.loadReflection(reflectionId);
    const { fields, content } = splitReflection(changes as never, false);
    // decide() first: another person's or a missing reflection is 404 before any version talk.
    decide({ type: 'AmendReflection', actorId: authorId, fields, content: {} }, state);
    if (version !== expectedVersion) {
      throw new ConflictError(
        'REFLECTION.STALE',
        `This reflection has changed since you opened it (it is now at version ${version}, not ${expectedVersion}); reload it and apply your change again`,
        { actual: version },
      );
    }
    const sealed = await this.sealer.seal(authorId, content);
    const events = decide({ type: 'AmendReflection', actorId: authorId, fields, content: sealed }, state);
    if (events.length === 0) return { id: reflectionId, version };
    const result = await this.repository.appendReflection(reflectionId, expectedVersion, events, {
      actorId: authorId,
      correlationId,
    });
    return { id: reflectionId, version: result.nextExpectedVersion };
  }
}
