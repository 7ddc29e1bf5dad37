import { createHash } from 'node:crypto';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { newId, ValidationError } from '@praxis/common';
import { ContentSealer } from '../../application/content-sealer';
import { JournalRepository } from '../../application/reflection-repository';
import { splitReflection } from '../../application/split';
import { JournalErrors } from '../../domain/journal-errors';
import { decide, INITIAL_REFLECTION } from '../../domain/reflection';
import { CodedFields, SealedContent } from '../../domain/reflection-events';
import { Recorded, RecordReflectionCommand } from './record-reflection.command';

const KEY = /^[\x21-\x7e]{1,200}$/;

@CommandHandler(RecordReflectionCommand)
export class RecordReflectionHandler implements ICommandHandler<RecordReflectionCommand, Recorded> {
  constructor(
    private readonly repository: JournalRepository,
    private readonly sealer: ContentSealer,
  ) {}

  async execute({ author, reflection, idempotencyKey, correlationId }: RecordReflectionCommand): Promise<Recorded> {
    if (!author.organisationId) throw JournalErrors.noOrganisation();
    if (idempotencyKey !== undefined && !KEY.test(idempotencyKey)) {
      throw new ValidationError(
        'REFLECTION.BAD_IDEMPOTENCY_KEY',
        'Idempotency-Key must be 1 to 200 visible characters',
      );
    }
    const { fields, content } = splitReflection(reflection as never, true);
    // The person's stream and their key are read side by side (two round trips at once, not one after
    // the other); an erased person is refused for being erased, whatever the sealing said.
    const sealing = this.sealer.seal(author.id, content);
    sealing.catch(() => undefined);
    const person = await this.repository.loadPerson(author.id);
    if (person.state.erased) throw JournalErrors.erased();
    const sealed = await sealing;
    // A retry with the same key names the same reflection, so it can only ever be recorded once.
    const reflectionId = idempotencyKey ? idFromKey(author.id, idempotencyKey) : newId();
    const events = decide(
      {
        type: 'RecordReflection',
        reflectionId,
        authorId: author.id,
        organisationId: author.organisationId,
        teamId: author.teamId,
        researchConsent: person.state.consent,
        fields: fields as CodedFields,
        content: sealed as SealedContent,
      },
      INITIAL_REFLECTION,
    );
    const result = await this.repository.appendReflection(
      reflectionId,
      'no_stream',
      events,
      { actorId: author.id, correlationId },
      {
        // Hashed: any key the client may send fits the store's limit, and the log's neighbour table holds no client text.
        idempotencyKey: idempotencyKey ? `record-reflection:${author.id}:${sha256(idempotencyKey)}` : undefined,
        fingerprint: idempotencyKey ? sha256(JSON.stringify(reflection)) : undefined,
      },
    );
    return { id: reflectionId, version: result.nextExpectedVersion };
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A UUID (v8 layout) derived from the author and their key. */
function idFromKey(authorId: string, key: string): string {
  const h = createHash('sha256').update(`${authorId}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
