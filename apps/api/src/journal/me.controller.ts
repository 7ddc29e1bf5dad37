import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Clock } from '@praxis/common';
import { AuthenticatedUser, CurrentUser, Roles } from '@praxis/identity';
import {
  ConsentState,
  ErasePersonalDataCommand,
  JournalQueries,
  JournalRepository,
  ResearchConsentDto,
  SetResearchConsentCommand,
  TrendsQuery,
} from '@praxis/journal';
import { MyTrends } from '@praxis/projections';

/** A worker's own trends, consent, export and erasure. */
@Roles('worker')
@Controller('api/me')
export class MeController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: JournalQueries,
    private readonly repository: JournalRepository,
    private readonly trends: MyTrends,
    private readonly clock: Clock,
  ) {}

  @Get('trends')
  myTrends(@Query() query: TrendsQuery, @CurrentUser() user: AuthenticatedUser) {
    return this.trends.of(user.id, query.granularity ?? 'month');
  }

  @Put('research-consent')
  consent(@Body() body: ResearchConsentDto, @CurrentUser() user: AuthenticatedUser): Promise<ConsentState> {
    return this.commands.execute(new SetResearchConsentCommand(user.id, body.granted));
  }

  /** Everything Praxis holds about the worker, as JSON (their right of access). */
  @Get('export')
  async export(@CurrentUser() user: AuthenticatedUser) {
    const person = await this.repository.loadPerson(user.id);
    return this.queries.personalExport(user, person.state, this.clock.now());
  }

  /** Crypto-shreds the worker's personal data; the account closes with it. */
  @Post('erase')
  @HttpCode(202)
  async erase(@CurrentUser() user: AuthenticatedUser) {
    await this.commands.execute(new ErasePersonalDataCommand(user.id));
    return { erased: true, message: 'Your personal data has been erased and your account closed.' };
  }
}
