import { Module } from '@nestjs/common';
import { AccountErasure, IdentityModule } from '@praxis/identity';
import { JournalModule, KeyErasure } from '@praxis/journal';
import { Erasure } from './erasure';

/**
 * Erasure, where the journal and identity meet (neither lib knows the other).
 * It imports both so that their inline projections register before it does:
 * the individual read model drops the rows before the key goes.
 * Needs ConfigModule, DatabaseModule and EventStoreModule.
 */
@Module({
  imports: [JournalModule, IdentityModule],
  providers: [KeyErasure, AccountErasure, Erasure],
  exports: [Erasure],
})
export class ErasureModule {}
