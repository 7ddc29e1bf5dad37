import { createHash } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { InvalidAppendError, IdempotencyKeyReusedError } from './errors';
import { AppendResult, NewEvent } from './types';

/** Claims an idempotency key; returns the earlier result when it was claimed before. */
export async function claimKey(tx: EntityManager, key: string, hash: string): Promise<AppendResult | undefined> {
  if (key.length === 0 || key.length > 200)
    throw new InvalidAppendError('an idempotency key must be 1 to 200 characters');
  const claimed: unknown[] = await tx.query(
    `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
    [key, hash],
  );
  if (claimed.length) return undefined;
  // The first claimant has committed by now: ON CONFLICT waited for it.
  const [earlier]: { request_hash: string; result: AppendResult }[] = await tx.query(
    `SELECT request_hash, result FROM idempotency_keys WHERE key = $1`,
    [key],
  );
  if (earlier.request_hash !== hash) throw new IdempotencyKeyReusedError(key);
  return { ...earlier.result, duplicate: true };
}

/** Records what the append that claimed the key answered, for its retries. */
export async function settleKey(tx: EntityManager, key: string, result: AppendResult): Promise<void> {
  await tx.query(`UPDATE idempotency_keys SET result = $2 WHERE key = $1`, [key, result]);
}

/** What makes two appends "the same request": their types and data (not ids, not metadata). */
export function fingerprint(events: NewEvent[]): string {
  return createHash('sha256')
    .update(JSON.stringify(events.map((e) => [e.type, e.schemaVersion ?? 1, e.data])))
    .digest('hex');
}
