import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource } from 'typeorm';
import { AppConfig, DomainError } from '@praxis/common';
import type { Queryable } from './event-store';

const SELECT_KEY = `SELECT wrapped_key FROM subject_keys WHERE subject_id = $1`;

/** What a sealed value reads as once its subject's key is destroyed. */
export const ERASED = Object.freeze({ erased: true as const });
export type Erased = typeof ERASED;
export const isErased = (value: unknown): value is Erased => value === ERASED;

export class SubjectErasedError extends DomainError {
  constructor() {
    super('SUBJECT.ERASED', 'This person’s data has been erased; nothing more can be stored for them', 'conflict');
    this.name = 'SubjectErasedError';
  }
}

const PREFIX = 'pxe1:';
const IV = 12;
const TAG = 16;

/**
 * Random IVs drawn from a buffer filled 256 at a time, as Node buffers its random UUIDs: each
 * `randomBytes` call costs a trip into OpenSSL's generator (measured: 3 % of the api's CPU
 * when every seal made its own). Every IV is still fresh random bytes, handed out once.
 */
const IV_BATCH = 256;
let ivs = Buffer.alloc(0);
let nextIv = 0;
function freshIv(): Buffer {
  if (nextIv === ivs.length) {
    ivs = randomBytes(IV * IV_BATCH);
    nextIv = 0;
  }
  const iv = Buffer.from(ivs.subarray(nextIv, nextIv + IV));
  nextIv += IV;
  return iv;
}

function seal(key: Buffer, plaintext: Buffer, aad: string): string {
  const iv = freshIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function open(key: Buffer, sealed: string, aad: string): Buffer {
  if (!sealed.startsWith(PREFIX)) throw new Error('not a sealed value');
  const raw = Buffer.from(sealed.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(raw.subarray(IV, IV + TAG));
  return Buffer.concat([decipher.update(raw.subarray(IV + TAG)), decipher.final()]);
}

export const isSealed = (value: unknown): value is string => typeof value === 'string' && value.startsWith(PREFIX);

/** How many subjects' keys a process keeps for sealing (see `keepKey`): 32 bytes each, plus the map. */
const KEPT_KEYS = 10_000;
/** And for how long: a key destroyed by another process leaves this one's memory within this time. */
const KEPT_KEY_MS = 60_000;

/**
 * Crypto-shredding: each subject's personal values are sealed (AES-256-GCM) with
 * a key of their own, kept in `subject_keys` outside the log and wrapped by the
 * master key. Destroying the key makes every sealed value in the immutable log
 * unreadable for good.
 *
 * Opening always reads the key, so an erasure in one process holds at once in
 * every other. Sealing may use a key kept from an earlier seal (`keepKey`): only
 * for a caller whose append is refused once the subject is erased (the journal
 * appends on the condition that the person's stream has not moved, and erasure
 * appends to it), so a key destroyed elsewhere seals nothing that is stored.
 */
@Injectable()
export class SubjectKeyStore {
  private readonly kept = new LRUCache<string, Buffer>({ max: KEPT_KEYS, ttl: KEPT_KEY_MS });

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async encrypt(subjectId: string, plaintext: string, db: Queryable = this.dataSource): Promise<string> {
    const [sealed] = await this.encryptMany(subjectId, [plaintext], db);
    return sealed;
  }

  /**
   * Seals under the subject's key, creating it on their first seal. `keepKey`: use and keep
   * the key in this process (see the class comment for who may).
   */
  async encryptMany(
    subjectId: string,
    plaintexts: string[],
    db: Queryable = this.dataSource,
    { keepKey = false }: { keepKey?: boolean } = {},
  ): Promise<string[]> {
    let key = keepKey ? this.kept.get(subjectId) : undefined;
    if (!key) {
      key = await this.keyFor(subjectId, db);
      if (keepKey) this.kept.set(subjectId, key);
    }
    return plaintexts.map((p) => seal(key, Buffer.from(p, 'utf8'), subjectId));
  }

  /** Drops a kept key: the caller found the subject changed (erased, perhaps) since it was kept. */
  forget(subjectId: string): void {
    this.kept.delete(subjectId);
  }

  async decrypt(subjectId: string, sealed: string, db: Queryable = this.dataSource): Promise<string | Erased> {
    const [value] = await this.decryptMany([{ subjectId, sealed }], db);
    return value;
  }

  /** Opens many values with one key look-up per subject. */
  async decryptMany(
    items: { subjectId: string; sealed: string }[],
    db: Queryable = this.dataSource,
  ): Promise<(string | Erased)[]> {
    const subjects = [...new Set(items.map((i) => i.subjectId))];
    const keys = new Map<string, Buffer>();
    if (subjects.length) {
      const rows: { subject_id: string; wrapped_key: Buffer | null }[] = await db.query(
        `SELECT subject_id, wrapped_key FROM subject_keys WHERE subject_id = ANY($1::text[])`,
        [subjects],
      );
      for (const row of rows)
        if (row.wrapped_key) keys.set(row.subject_id, this.unwrap(row.subject_id, row.wrapped_key));
    }
    return items.map(({ subjectId, sealed }) => {
      const key = keys.get(subjectId);
      return key ? open(key, sealed, subjectId).toString('utf8') : ERASED;
    });
  }

  /**
   * Destroys the subject's key: everything sealed under it is unreadable from now on. `at`: when, as the
   * log has it (the erasure event's time; the first destruction's stays).
   */
  async destroy(subjectId: string, db: Queryable = this.dataSource, at?: Date): Promise<void> {
    this.kept.delete(subjectId);
    await db.query(
      `INSERT INTO subject_keys (subject_id, wrapped_key, destroyed_at) VALUES ($1, NULL, coalesce($2, now()))
       ON CONFLICT (subject_id) DO UPDATE
         SET wrapped_key = NULL, destroyed_at = COALESCE(subject_keys.destroyed_at, $2, now())`,
      [subjectId, at ?? null],
    );
  }

  async isDestroyed(subjectId: string, db: Queryable = this.dataSource): Promise<boolean> {
    const rows: { destroyed: boolean }[] = await db.query(
      `SELECT destroyed_at IS NOT NULL AS destroyed FROM subject_keys WHERE subject_id = $1`,
      [subjectId],
    );
    return rows[0]?.destroyed ?? false;
  }

  private async keyFor(subjectId: string, db: Queryable): Promise<Buffer> {
    // Almost always the key exists: one look-up. Only a subject's first seal creates it.
    let [row]: { wrapped_key: Buffer | null }[] = await db.query(SELECT_KEY, [subjectId]);
    if (!row) {
      await db.query(
        `INSERT INTO subject_keys (subject_id, wrapped_key) VALUES ($1, $2) ON CONFLICT (subject_id) DO NOTHING`,
        [subjectId, this.wrap(subjectId, randomBytes(32))],
      );
      [row] = await db.query(SELECT_KEY, [subjectId]);
    }
    if (!row?.wrapped_key) throw new SubjectErasedError();
    return this.unwrap(subjectId, row.wrapped_key);
  }

  private wrap(subjectId: string, key: Buffer): Buffer {
    return Buffer.from(seal(this.config.masterKey, key, `subject-key:${subjectId}`), 'utf8');
  }

  private unwrap(subjectId: string, wrapped: Buffer): Buffer {
    return open(this.config.masterKey, wrapped.toString('utf8'), `subject-key:${subjectId}`);
  }
}

/** The same AES-256-GCM sealing, under a key the caller holds (the mail outbox seals its links with the master key). */
export { seal as sealWithKey, open as openWithKey };
