import { EntityManager } from 'typeorm';
import { TableResolver } from '@praxis/event-store';

const SHADOW = '__rebuild_';

/**
 * Where one rebuild writes: beside each live table, under a name of its own
 * run (`org_contributions__rebuild_1a2b3c4d`), swapped in at the end. A name
 * per run means a rebuild that lost its lock can never write into the tables
 * of the one that took it over.
 */
export const shadowsFor = (run: string): TableResolver => {
  if (!/^[0-9a-f]{8}$/.test(run)) throw new Error(`not a rebuild run id: ${run}`);
  return (table) => {
    const shadow = `${table}${SHADOW}${run}`;
    // PostgreSQL would cut a longer name short, and the run's tables could no longer be told apart.
    if (Buffer.byteLength(shadow) > 63)
      throw new Error(`cannot rebuild ${table} beside the live table: its name is too long for a shadow's`);
    return shadow;
  };
};

type Db = Pick<EntityManager, 'query'>;

/** Fresh, empty shadow tables shaped like the live ones (columns, defaults, checks, indexes). */
export async function createShadows(db: Db, tables: readonly string[], shadowOf: TableResolver): Promise<void> {
  for (const table of tables) {
    await assertCopyable(db, table);
    await db.query(`CREATE TABLE ${shadowOf(table)} (LIKE ${table} INCLUDING ALL)`);
  }
}

export async function dropShadows(db: Db, tables: readonly string[], shadowOf: TableResolver): Promise<void> {
  for (const table of tables) await db.query(`DROP TABLE IF EXISTS ${shadowOf(table)}`);
}

/**
 * Every shadow of these tables in the schema — `<table>__rebuild_<run>`, and
 * `<table>__rebuild` from before runs had names: what rebuilds that did not
 * finish (a crash, a lost lock) left behind. Only the one rebuild allowed to
 * run may drop them.
 */
export async function leftoverShadows(db: Db, tables: readonly string[]): Promise<string[]> {
  const rows: { name: string }[] = await db.query(
    `SELECT c.relname AS name FROM pg_class c
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
        AND EXISTS (SELECT 1 FROM unnest($1::text[]) t WHERE c.relname ~ ('^' || t || '__rebuild(_[0-9a-f]{8})?$'))
      ORDER BY 1`,
    [tables],
  );
  return rows.map((r) => r.name);
}

export async function dropLeftoverShadows(db: Db, tables: readonly string[]): Promise<void> {
  for (const leftover of await leftoverShadows(db, tables)) await db.query(`DROP TABLE IF EXISTS ${quote(leftover)}`);
}

/**
 * Puts each shadow table in its live table's place, inside the caller's
 * transaction, and gives its indexes the live ones' names (LIKE names them
 * after the shadow), so a rebuilt schema reads exactly like a migrated one.
 */
export async function swapShadows(db: Db, tables: readonly string[], shadowOf: TableResolver): Promise<void> {
  for (const table of tables) {
    const live = await indexesOf(db, table);
    const shadow = await indexesOf(db, shadowOf(table));
    await db.query(`ALTER TABLE ${table} RENAME TO ${table}__retired`);
    await db.query(`ALTER TABLE ${shadowOf(table)} RENAME TO ${table}`);
    await db.query(`DROP TABLE ${table}__retired`);
    for (const index of live) {
      const at = shadow.findIndex((s) => s.shape === index.shape);
      if (at < 0) throw new Error(`cannot swap ${table}: its index ${index.name} has no twin on the rebuilt table`);
      const [twin] = shadow.splice(at, 1);
      if (twin.name !== index.name) await db.query(`ALTER INDEX ${quote(twin.name)} RENAME TO ${quote(index.name)}`);
    }
  }
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Each index's name and its definition without name and table (what makes two indexes twins). */
async function indexesOf(db: Db, table: string): Promise<{ name: string; shape: string }[]> {
  const rows: { name: string; def: string }[] = await db.query(
    `SELECT i.relname AS name, pg_get_indexdef(i.oid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = to_regclass($1) ORDER BY i.relname`,
    [table],
  );
  return rows.map((r) => ({ name: r.name, shape: r.def.replace(/^CREATE (UNIQUE )?INDEX \S+ ON \S+ /, '$1') }));
}

/**
 * A shadow copy cannot carry foreign keys or a sequence the live table owns
 * (dropping the live table would take the sequence along): such a table must
 * be rebuilt another way.
 */
async function assertCopyable(db: Db, table: string): Promise<void> {
  const [row]: { fks: number; seqs: number; missing: boolean }[] = await db.query(
    `SELECT to_regclass($1) IS NULL AS missing,
            (SELECT count(*)::int FROM pg_constraint
              WHERE contype = 'f' AND (conrelid = to_regclass($1) OR confrelid = to_regclass($1))) AS fks,
            (SELECT count(*)::int FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
              WHERE d.refobjid = to_regclass($1) AND d.deptype IN ('a', 'i')) AS seqs`,
    [table],
  );
  if (row.missing) throw new Error(`cannot rebuild ${table}: no such table`);
  if (row.fks || row.seqs)
    throw new Error(`cannot rebuild ${table} beside the live table: it has foreign keys or owns a sequence`);
}
