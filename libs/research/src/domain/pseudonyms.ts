import { createHmac, randomBytes } from 'node:crypto';

/** 128 bits of the HMAC: collisions are out of reach for any export's size, and files stay small. */
export const PSEUDONYM_HEX_LENGTH = 32;
export const EXPORT_KEY_BYTES = 32;

export const newExportKey = (): Buffer => randomBytes(EXPORT_KEY_BYTES);

/**
 * Pseudonyms under one export's own key: HMAC-SHA256(key, kind ":" id),
 * truncated to 128 bits. Without the key, a pseudonym cannot be linked back
 * to the id (nor tried against a list of ids); with a different key per
 * export, the same person gets unrelated pseudonyms in two exports. The kind
 * keeps a person and an organisation that happened to share an id apart.
 */
export class Pseudonymiser {
  constructor(private readonly key: Buffer) {
    if (key.length < EXPORT_KEY_BYTES) throw new Error('an export key must be at least 32 bytes');
  }

  person(id: string): string {
    return this.hmac('person', id);
  }

  organisation(id: string): string {
    return this.hmac('organisation', id);
  }

  team(id: string): string {
    return this.hmac('team', id);
  }

  /**
   * The person's tag in the export's list of the people it counts, which an
   * erasure checks (research-erasure.ts): under its own kind, so it is not the
   * pseudonym the files hold, and the list links no one to a record.
   */
  memberTag(personId: string): string {
    return this.hmac('member', personId);
  }

  private hmac(kind: string, id: string): string {
    return createHmac('sha256', this.key).update(`${kind}:${id}`).digest('hex').slice(0, PSEUDONYM_HEX_LENGTH);
  }
}
