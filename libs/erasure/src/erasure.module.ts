import { Module } from '@nestjs/common';
import { AccountErasure, IdentityModule } from '@praxis/identity';
import { ErasePersonalDataHandler, JournalModule, KeyErasure } from '@praxis/journal';
import { ResearchModule } from '@praxis/research';
import { Erasure } from './erasure';

/**
 * Erasure, where the journal, identity and research meet (identity and the journal do not know each other).
 * The erase command's handler is registered here, not in the journal: a module that can erase is one
 * whose every step runs with the event (without them the event would be appended and the key kept).
 * It imports them so that their inline projections register before it does:
 * the individual read model drops the rows before the key goes.
 * Needs ConfigModule, DatabaseModule and EventStoreModule.
 */
@Module({
  imports: [JournalModule, IdentityModule, ResearchModule],
  providers: [ErasePersonalDataHandler, KeyErasure, AccountErasure, Erasure],
  exports: [Erasure],
})
export class ErasureModule {}
