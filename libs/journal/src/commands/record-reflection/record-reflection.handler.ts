import { createHash } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId, ValidationError } from '@praxis/common';
import { EventMetadata, EventStore, handle, StreamVersionConflictError } from '@praxis/event-store';
import { ContentSealer } from '../../application/content-sealer';
import { JournalRepository, metadataOf } from '../../application/reflection-repository';
import { splitReflection } from '../../application/split';
import { JournalErrors } from '../../domain/journal-errors';
import { decide, reflectionDecider } from '../../domain/reflection';
import { CodedFields, personStream, reflectionStream, SealedContent } from '../../domain/reflection-events';
import { JournalAuthor, Recorded, RecordReflectionCommand } from './record-reflection.command';

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
    // A retry with the same key names the same reflection, so it can only ever be recorded once.
    const reflectionId = idempotencyKey ? idFromKey(author.id, idempotencyKey) : newId();
    const record: Attempt = {
      author,
      organisationId,
      reflectionId,
      fields: fields as CodedFields,
      content,
      metadata: metadataOf({ actorId: author.id, correlationId }),
      append: {
        // Hashed: any key the client may send fits the store's limit, and the log's neighbour table holds no client text.
        idempotencyKey: idempotencyKey ? `record-reflection:${author.id}:${sha256(idempotencyKey)}` : undefined,
        fingerprint: idempotencyKey ? sha256(JSON.stringify(reflection)) : undefined,
      },
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(record);
      } catch (error) {
        const personMoved = error instanceof StreamVersionConflictError && error.streamId === personStream(author.id);
        if (!personMoved || attempt >= PERSON_MOVES) throw error;
        // What this process kept of them is stale: read them again, and their key.
        this.repository.forget(author.id);
        this.sealer.forget(author.id);
      }
    }
  }

  /**
   * Decides on the author as this process last read them and seals under the key it kept (usually no round
   * trip for either), and appends on the condition that the author's stream has not moved since: a consent
   * withdrawn or an erasure committed in any process before the append's statement is never decided on
   * (one committing while that statement runs is, as it was when the stream was read just before). Erasure
   * appends to that stream and destroys the key in one transaction, so a key destroyed elsewhere seals
   * nothing that is stored, and the read model's row waits for an erasure in progress (its FOR SHARE).
   */
  private async attempt(record: Attempt): Promise<Recorded> {
    const authorId = record.author.id;
    // The person and their key side by side (two round trips at once, when not kept).
    const sealing = this.sealer.seal(authorId, record.content, undefined, { keepKey: true });
    sealing.catch(() => undefined);
    const person = await this.repository.keptPerson(authorId);
    // An erased person's key is gone, so sealing fails: decide() refuses them for being erased, whatever the sealing said.
    const sealed = await sealing.catch((error: unknown) => {
      if (person.state.erased) return NOTHING_SEALED;
      throw error;
    });
    const { version } = await handle(
      this.store,
      reflectionStream(record.reflectionId),
      reflectionDecider,
      (state) =>
        decide(
          {
            type: 'RecordReflection',
            author: person.state,
            reflectionId: record.reflectionId,
            authorId,
            organisationId: record.organisationId,
            teamId: record.author.teamId,
            fields: record.fields,
            content: sealed as SealedContent,
          },
          state,
        ),
      {
        expectedVersion: 'no_stream',
        metadata: record.metadata,
        append: { ...record.append, alsoExpect: { streamId: personStream(authorId), version: person.version } },
      },
    );
    return { id: record.reflectionId, version };
  }
}

/** How many times the author's stream may move under one reflection before it answers 409. */
const PERSON_MOVES = 3;

interface Attempt {
  author: JournalAuthor;
  organisationId: string;
  reflectionId: string;
  fields: CodedFields;
  content: ReturnType<typeof splitReflection>['content'];
  metadata: EventMetadata;
  append: { idempotencyKey?: string; fingerprint?: string };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A UUID (v8 layout) derived from the author and their key. */
function idFromKey(authorId: string, key: string): string {
  const h = createHash('sha256').update(`${authorId}\u0000${key}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
