/**
 * Maps a read model's table name to the one to write. Normally the identity;
 * during a rebuild (build beside, then swap) it points at shadow tables, so the
 * live tables keep answering until the swap. Projections write every table
 * name through it: `INSERT INTO ${t('journal_reflections')} ...`.
 */
export type TableResolver = (table: string) => string;

export const LIVE_TABLES: TableResolver = (table) => table;

/**
 * A read model that can be rebuilt from the log: it names the tables it owns
 * (created by migrations, each with everything it needs to be copied `LIKE ...
 * INCLUDING ALL`), and applies events through a TableResolver.
 */
export interface RebuildableProjection {
  readonly name: string;
  readonly eventTypes: readonly string[];
  readonly tables: readonly string[];
}
