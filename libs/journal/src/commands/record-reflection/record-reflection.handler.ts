import { createHash } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId, ValidationError } from '@praxis/common';
import { EventStore, handle } from '@praxis/event-store';
import { ContentSealer } from '../../application/content-sealer';
import { JournalRepository, metadataOf } from '../../application/reflection-repository';
import { splitReflection } from '../../application/split';
import { JournalErrors } from '../../domain/journal-errors';
import { decide, reflectionDecider } from '../../domain/reflection';
import { CodedFields, reflectionStream, SealedContent } from '../../domain/reflection-events';
import { Recorded, RecordReflectionCommand } from './record-reflection.command';

const KEY = /^[\x21-\x7e]{1,200}$/;

/** Never appended: decide() refuses an erased author before it would use what was sealed. */
const NOTHING_SEALED: SealedContent = Object.freeze({ whatHappened: '', soWhat: null, nowWhat: null, tags: null });

@CommandHandler(RecordReflectionCommand)
export class RecordReflectionHandler implements ICommandHandler<RecordReflectionCommand> {
  constructor(
    private readonly store: EventStore,
    private readonly repository: JournalRepository,
    private readonly sealer: ContentSealer,
  ) {}

  async execute({ author, reflection, idempotencyKey, correlationId }: RecordReflectionCommand): Promise<Recorded> {
    const organisationId = author.organisationId;
    if (!organisationId) throw JournalErrors.noOrganisation();
    if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
      throw new ValidationError(
        'REFLECTION.BAD_IDEMPOTENCY_KEY',
        'Idempotency-Key must be 1 to 200 visible characters',
      );
    }
    const { fields, content } = splitReflection(reflection as never, true);
    // The person's stream and their key are read side by side (two round trips at once, not one after the other).
    const sealing = this.sealer.seal(author.id, content);
    sealing.catch(() => undefined);
    const person = (await this.repository.loadPerson(author.id)).state;
    // An erased person's key is gone, so sealing fails: decide() refuses them for being erased, whatever the sealing said.
    const sealed = await sealing.catch((error: unknown) => {
      if (person.erased) return NOTHING_SEALED;
      throw error;
    });
    // A retry with the same key names the same reflection, so it can only ever be recorded once.
    const reflectionId = idempotencyKey ? idFromKey(author.id, idempotencyKey) : newId();
    const { version } = await handle(
      this.store,
      reflectionStream(reflectionId),
      reflectionDecider,
      (state) =>
        decide(
          {
            type: 'RecordReflection',
            author: person,
            reflectionId,
            authorId: author.id,
            organisationId,
            teamId: author.teamId,
            fields: fields as CodedFields,
            content: sealed as SealedContent,
          },
          state,
        ),
      {
        expectedVersion: 'no_stream',
        metadata: metadataOf({ actorId: author.id, correlationId }),
        append: {
          // Hashed: any key the client may send fits the store's limit, and the log's neighbour table holds no client text.
          idempotencyKey: idempotencyKey ? `record-reflection:${author.id}:${sha256(idempotencyKey)}` : undefined,
          fingerprint: idempotencyKey ? sha256(JSON.stringify(reflection)) : undefined,
        },
      },
    );
    return { id: reflectionId, version };
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A UUID (v8 layout) derived from the author and their key. */
function idFromKey(authorId: string, key: string): string {
  const h = createHash('sha256').update(`${authorId}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
