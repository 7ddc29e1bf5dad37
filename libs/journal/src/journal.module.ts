import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ContentSealer } from './application/content-sealer';
import { JournalRepository } from './application/reflection-repository';
import { AmendReflectionHandler } from './commands/amend-reflection/amend-reflection.handler';
import { RecordReflectionHandler } from './commands/record-reflection/record-reflection.handler';
import { SetResearchConsentHandler } from './commands/set-research-consent/set-research-consent.handler';
import { WithdrawReflectionHandler } from './commands/withdraw-reflection/withdraw-reflection.handler';
import { IndividualProjection } from './projection/individual-projection';
import { JournalQueries } from './queries/journal-queries';
import { JournalSearch } from './queries/journal-search';
import { JournalDemo } from './demo/journal-demo';

const handlers = [
  RecordReflectionHandler,
  AmendReflectionHandler,
  WithdrawReflectionHandler,
  SetResearchConsentHandler,
];

/**
 * The journal: command handlers (dispatched through the CommandBus, like
 * identity's), the individual read model, and the worker's queries.
 * Erasing a person is handled in @praxis/erasure, with every step it takes.
 */
@Module({
  imports: [CqrsModule],
  providers: [
    ...handlers,
    ContentSealer,
    JournalRepository,
    IndividualProjection,
    JournalQueries,
    JournalSearch,
    JournalDemo,
  ],
  exports: [CqrsModule, JournalQueries, JournalSearch, JournalRepository, JournalDemo, IndividualProjection],
})
export class JournalModule {}
