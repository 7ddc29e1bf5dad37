import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@praxis/common';
import type { Queryable } from '@praxis/event-store';
import { newExportKey } from '../domain/pseudonyms';

/**
 * Each export's HMAC key: random, made for that export alone, kept outside the
 * log in `research_export_keys` and wrapped (AES-256-GCM) by the master key.
 *
 * Not derived from the master key: a derived key could be recomputed by anyone
 * holding the master key for as long as it exists; a random one dies with its
 * row. Kept rather than thrown away after creation: the records are already
 * materialised, so the files never need it, but an operator answering a
 * person's "was I in export X?" (or telling a researcher which pseudonym to
 * delete) needs to recompute that person's pseudonym in that export. Anyone who
 * can unwrap it already holds the master key, which opens every person's text:
 * keeping it gives no one a power they did not have. Deleting the row ends
 * that possibility for good. An erasure that sends the export back to be
 * built again replaces it (`renew`): the rebuilt files share no pseudonym
 * with the old ones.
 */
@Injectable()
export class ExportKeys {
  constructor(private readonly config: AppConfig) {}

  async store(exportId: string, key: Buffer, db: Queryable): Promise<void> {
    await db.query(`INSERT INTO research_export_keys (export_id, wrapped_key) VALUES ($1, $2)`, [
      exportId,
      this.wrap(exportId, key),
    ]);
  }

  /**
   * Replaces the export's key (or gives it one, if its row is gone) with a new
   * random one: what an erasure does to an export it sends back to be built
   * again, so that every pseudonym of the rebuilt files is new (research-erasure.ts).
   */
  async renew(exportId: string, db: Queryable): Promise<void> {
    await db.query(
      `INSERT INTO research_export_keys (export_id, wrapped_key) VALUES ($1, $2)
       ON CONFLICT (export_id) DO UPDATE SET wrapped_key = excluded.wrapped_key, created_at = now()`,
      [exportId, this.wrap(exportId, newExportKey())],
    );
  }

  /**
   * The export's key, or a new random one if its row is gone (a migration sent it back to be built without one):
   * whichever builder stores one first, every builder then uses that one.
   */
  async loadOrCreate(exportId: string, db: Queryable): Promise<Buffer> {
    await db.query(
      `INSERT INTO research_export_keys (export_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (export_id) DO NOTHING`,
      [exportId, this.wrap(exportId, newExportKey())],
    );
    return (await this.load(exportId, db))!;
  }

  async load(exportId: string, db: Queryable): Promise<Buffer | undefined> {
    const [row]: { wrapped_key: Buffer }[] = await db.query(
      `SELECT wrapped_key FROM research_export_keys WHERE export_id = $1`,
      [exportId],
    );
    return row ? this.unwrap(exportId, row.wrapped_key) : undefined;
  }

  private wrap(exportId: string, key: Buffer): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.config.masterKey, iv);
    cipher.setAAD(Buffer.from(`research-export-key:${exportId}`));
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** The key from its wrapped form (a row already read, as an erasure reads every export's). */
  unwrap(exportId: string, wrapped: Buffer): Buffer {
    const decipher = createDecipheriv('aes-256-gcm', this.config.masterKey, wrapped.subarray(0, 12));
    decipher.setAAD(Buffer.from(`research-export-key:${exportId}`));
    decipher.setAuthTag(wrapped.subarray(12, 28));
    return Buffer.concat([decipher.update(wrapped.subarray(28)), decipher.final()]);
  }
}
