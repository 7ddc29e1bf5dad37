import { Command } from '@nestjs/cqrs';
export class WithdrawReflectionCommand extends Command<void> {
  constructor(
    readonly authorId: string,
    readonly reflectionId: string,
    readonly correlationId?: string,
  ) {
    super();
  }
}
