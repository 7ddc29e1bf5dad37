/**
 * Maps a read model's table name to the one to write. Normally the identity;
 * during a rebuild (build beside, then swap) it points at shadow tables, so the
 * live tables keep answering until the swap. Projections write every table
 * name through it: `INSERT INTO ${t('journal_reflections')} ...`.
 */
export type TableResolver = (table: string) => string;

export const LIVE_TABLES: TableResolver = (table) => table;
