import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ErasureSubject, ErasureWithTheEvent } from '@praxis/common';

/**
 * The account goes with the person: its email is replaced, it can no longer
 * sign in, its sessions, tokens, links and unsent mails end, and it leaves
 * every member list.
 */
@Injectable()
export class AccountErasure implements ErasureWithTheEvent {
  readonly name = 'their account: email, password, sessions, tokens, links, unsent mail, member lists';
  readonly runs = 'with the erasure';

  async erase({ personId, erasedAt }: ErasureSubject, tx: EntityManager): Promise<void> {
    await tx.query(`DELETE FROM web_sessions WHERE account_id = $1`, [personId]);
    await tx.query(`DELETE FROM account_tokens WHERE account_id = $1`, [personId]);
    await tx.query(`DELETE FROM mail_outbox WHERE account_id = $1`, [personId]);
    // The email must go (it is personal) but stays unique; the row stays because the log names the id. Lists skip erased rows.
    await tx.query(
      `UPDATE accounts SET email = $2, password_hash = 'erased', activated_at = NULL, erased_at = $3, token_version = token_version + 1
        WHERE id = $1`,
      [personId, `erased-${personId}@erased.invalid`, erasedAt],
    );
  }
}
