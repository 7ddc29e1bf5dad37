import { AmendReflectionDto } from '../../dto/reflection.dto';

export class AmendReflectionCommand {
  constructor(
    readonly authorId: string,
    readonly reflectionId: string,
    /** The version the worker saw (If-Match). */
    readonly expectedVersion: number,
    readonly changes: AmendReflectionDto,
    readonly correlationId?: string,
  ) {}
}
