export class WithdrawReflectionCommand {
  constructor(
    readonly authorId: string,
    readonly reflectionId: string,
    readonly correlationId?: string,
  ) {}
}
