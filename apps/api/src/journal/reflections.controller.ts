import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader } from '@nestjs/swagger';
import { DomainError } from '@praxis/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@praxis/identity';
import {
  AmendReflectionCommand,
  AmendReflectionDto,
  JournalQueries,
  ListReflectionsQuery,
  Recorded,
  RecordReflectionCommand,
  ReflectionDto,
  WithdrawReflectionCommand,
} from '@praxis/journal';

/** `If-Match: 3`, `"3"` or `W/"3"` → 3; absent → 428; anything else → 400. */
export function parseIfMatch(header: string | undefined): number {
  if (header === undefined || header.trim() === '') {
    throw new DomainError(
      'REFLECTION.IF_MATCH_REQUIRED',
      'Send If-Match with the version you are amending (the "version" you read)',
      'precondition_required',
    );
  }
  const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header.trim());
  if (!match)
    throw new DomainError(
      'REFLECTION.BAD_IF_MATCH',
      'If-Match must be the reflection\u2019s version, a whole number',
      'invalid',
    );
  return Number(match[1]);
}

/** A worker's own reflections. Anyone else's is 404, exactly like one that does not exist. */
@Roles('worker')
@Controller('api/reflections')
export class ReflectionsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: JournalQueries,
  ) {}

  @Post()
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Send the same key again to retry safely: the reflection is recorded once',
  })
  record(
    @Body() body: ReflectionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('idempotency-key') key?: string,
  ): Promise<Recorded> {
    return this.commands.execute(new RecordReflectionCommand(user, body, key));
  }

  @Get()
  list(@Query() query: ListReflectionsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.queries.list(user.id, query.limit ?? 20, query.cursor);
  }

  @Get(':id')
  get(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.queries.get(user.id, id);
  }

  @Get(':id/history')
  history(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser) {
    return this.queries.history(user.id, id);
  }

  @Patch(':id')
  @ApiHeader({
    name: 'If-Match',
    required: true,
    description: 'The version you read; 428 without it, 409 when someone changed it first',
  })
  amend(
    @Param('id') id: string,
    @Body() body: AmendReflectionDto,
    @CurrentUser() user: AuthenticatedUser,
    @Headers('if-match') ifMatch?: string,
  ): Promise<Recorded> {
    const version = parseIfMatch(ifMatch);
    if (!Object.values(body).some((v) => v !== undefined)) {
      throw new DomainError(
        'REFLECTION.NOTHING_TO_CHANGE',
        'Send at least one field of the reflection to change',
        'invalid',
      );
    }
    return this.commands.execute(new AmendReflectionCommand(user.id, id, version, body));
  }

  @Delete(':id')
  @HttpCode(204)
  async withdraw(@Param('id') id: string, @CurrentUser() user: AuthenticatedUser): Promise<void> {
    await this.commands.execute(new WithdrawReflectionCommand(user.id, id));
  }
}
