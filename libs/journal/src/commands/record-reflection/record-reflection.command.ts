import { Command } from '@nestjs/cqrs';
import { ReflectionDto } from '../../dto/reflection.dto';

export interface JournalAuthor {
  id: string;
  organisationId: string | null;
  teamId: string | null;
}

export class RecordReflectionCommand extends Command<Recorded> {
  constructor(
    readonly author: JournalAuthor,
    readonly reflection: ReflectionDto,
    /** The client's Idempotency-Key (or the form's submission id): a retry records nothing new. */
    readonly idempotencyKey?: string,
    readonly correlationId?: string,
  ) {
    super();
  }
}

export interface Recorded {
  id: string;
  version: number;
}
