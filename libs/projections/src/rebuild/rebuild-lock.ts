import { DataSource } from 'typeorm';
import { ConflictError } from '@praxis/common';

/** The rebuild lock, once taken: `held()` fails once it is lost; `release()` gives it back. */
export interface RebuildLock {
  held(): Promise<void>;
  release(): Promise<void>;
}

/** Held (as a session advisory lock, per schema) by the one process rebuilding: the API, the worker or the CLI. */
const REBUILD_LOCK = `hashtextextended('praxis.read-model-rebuild:' || current_schema(), 0)`;

/**
 * Takes the rebuild lock without waiting, or refuses with a ConflictError. It is a session
 * lock, so it lives as long as its connection: `held()` asks that connection, before each
 * swap, and fails if it is gone (the lock with it — another process may have begun). The
 * embedded database has one process, and so nothing to lock out.
 */
export async function takeRebuildLock(dataSource: DataSource, embedded: boolean): Promise<RebuildLock> {
  if (embedded) return { held: async () => undefined, release: async () => undefined };
  const runner = dataSource.createQueryRunner();
  try {
    const [{ locked }]: { locked: boolean }[] = await runner.query(
      `SELECT pg_try_advisory_lock(${REBUILD_LOCK}) AS locked`,
    );
    if (!locked) {
      throw new ConflictError(
        'REBUILD.RUNNING',
        'a rebuild of the read models is already running in another process ' +
          '(the API, the worker or `praxis rebuild`); try again when it has finished',
      );
    }
  } catch (error) {
    await runner.release();
    throw error;
  }
  return {
    held: async () => {
      await runner.query('SELECT 1').catch(() => {
        throw new Error('the connection holding the rebuild lock was lost; stopped before swapping, nothing changed');
      });
    },
    release: async () => {
      await runner.query(`SELECT pg_advisory_unlock(${REBUILD_LOCK})`).catch(() => undefined);
      await runner.release();
    },
  };
}
