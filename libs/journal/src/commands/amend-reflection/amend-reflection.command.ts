import { Command } from '@nestjs/cqrs';
import { AmendReflectionDto } from '../../dto/reflection.dto';
import { Recorded } from '../record-reflection/record-reflection.command';

export class AmendReflectionCommand extends Command<Recorded> {
  constructor(
    readonly authorId: string,
    readonly reflectionId: string,
    /** The version the worker saw (If-Match). */
    readonly expectedVersion: number,
    readonly changes: AmendReflectionDto,
    readonly correlationId?: string,
  ) {
    super();
  }
}
