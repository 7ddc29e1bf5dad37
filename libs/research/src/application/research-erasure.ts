import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Subscription } from 'rxjs';
import { EntityManager } from 'typeorm';
import { ErasureFromTheLog, ErasureSubject, ErasureWithTheEvent } from '@praxis/common';
import { EventStore } from '@praxis/event-store';
import { personStream } from '@praxis/journal';
import { Pseudonymiser } from '../domain/pseudonyms';
import { ExportKeys } from './export-keys';
import { ExportWorker } from './export-worker';

/** What builds the research exports, as the erasure plan names it. */
export const EXPORT_BUILD = 'research-export-build';

/**
 * Every export built after the erasure leaves them out: the build's staging
 * reads `PersonalDataErased` from the log, and the key table too, so an
 * erasure counts even if its event were not in the build's cut (staging.ts) —
 * as it is not for an export sent back to be built again by ExportsErasure.
 */
export const RESEARCH_EXPORT_ERASURE: ErasureFromTheLog = {
  name: 'their reflections in research staging and in every export built afterwards',
  runs: 'from the log',
  by: EXPORT_BUILD,
};

interface Held {
  id: string;
  status: 'ready' | 'running';
  listed: boolean;
  wrapped_key: Buffer | null;
}

/**
 * Exports already built, or being built, when a person erases: in the
 * erasure's own transaction, after their key is destroyed, each one that may
 * count them goes back to the queue to be built again — its records deleted,
 * status `queued`, progress and report reset, `attempts` back to 0 (a rebuild
 * is no builder's failure) — and its claim number moves on, so a builder
 * still at work on it finds its claim gone: its next heartbeat, record write
 * or `ready` fails and it writes nothing more. It gets a fresh key (ExportKeys.renew,
 * in the same transaction): had it kept its own, everyone else would keep
 * their pseudonym and only the erased person's would vanish — and a researcher
 * holding two exports would see one pseudonym vanish from each at the same
 * moment, and know them for the same person. With a new key no pseudonym of
 * the old files is in the new ones. The rebuild keeps its horizon; the person
 * is left out because their key is destroyed (stageShreddedKeys), and
 * k-anonymity is applied again to what remains. Downloads answer 409 until it
 * is ready. (Comparing contents still shows which records went.)
 *
 * Which exports: every one `running` (its builder may have staged the person
 * before the key went), and every `ready` one whose member list holds the
 * person's tag under that export's key (Pseudonymiser.memberTag: computed here,
 * the key never enters the database, and the tag is not the pseudonym the
 * files hold) — or that has no list (built before lists were kept), or whose
 * key is missing or cannot be unwrapped (a damaged row: logged, and built
 * again under a fresh key rather than failing every erasure). The list holds
 * only people with a record in the files: one whose records were all
 * suppressed leaves the export alone (only its anonymous counts held them).
 * The others are untouched: rebuilding them would give the same files. A
 * researcher whose export goes back to the queue learns that someone in it
 * erased; the old and new files differ by that person's records anyway.
 *
 * The export rows are locked (in id order, so two erasures never deadlock)
 * before anything is decided: a builder's write waits for this transaction
 * and then finds its claim gone; the worker's claim skips them until commit.
 * An export `queued` now needs nothing: its build waits for every transaction
 * open when it starts (this one included) and then reads the key table.
 */
@Injectable()
export class ExportsErasure implements ErasureWithTheEvent, OnModuleDestroy {
  readonly name = 'their records in every research export already built or being built: built again without them';
  readonly runs = 'with the erasure';
  /** Erasures (by stream) that sent exports back: the worker is woken once their append has committed. */
  private readonly waking = new Set<string>();
  private readonly subscription: Subscription;
  private readonly logger = new Logger(ExportsErasure.name);

  constructor(
    private readonly keys: ExportKeys,
    store: EventStore,
    worker: ExportWorker,
  ) {
    this.subscription = store.appended$.subscribe(({ streamId }) => {
      if (this.waking.delete(streamId)) worker.wake();
    });
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  async erase({ personId }: ErasureSubject, tx: EntityManager): Promise<void> {
    const held: Held[] = await tx.query(
      `SELECT e.id, e.status, e.member_tags IS NOT NULL AS listed, k.wrapped_key
         FROM research_exports e LEFT JOIN research_export_keys k ON k.export_id = e.id
        WHERE e.status IN ('ready', 'running')
        ORDER BY e.id
          FOR UPDATE OF e`,
    );
    if (held.length === 0) return;
    // null: rebuild whatever the list says (running, no list, or no key to compute the tag with, or a damaged one).
    const tags = held.map((exp) => (exp.status === 'ready' && exp.listed ? this.tag(exp, personId) : null));
    const requeued: { id: string }[] = await tx.query(
      `WITH requeued AS (
         UPDATE research_exports e
            SET status = 'queued', claim = e.claim + 1, attempts = 0, heartbeat_at = NULL, done = 0, total = 0,
                records = 0, report = '{}', member_tags = NULL
           FROM unnest($1::uuid[], $2::text[]) AS t(id, tag)
          WHERE e.id = t.id AND (t.tag IS NULL OR t.tag = ANY (e.member_tags))
         RETURNING e.id
       ), gone AS (
         DELETE FROM research_export_pages r USING requeued q WHERE r.export_id = q.id
       )
       SELECT id FROM requeued`,
      [held.map((exp) => exp.id), tags],
    );
    // Built again under a new key: no pseudonym of the old files is in the new ones.
    for (const { id } of requeued) await this.keys.renew(id, tx);
    if (requeued.length > 0) this.waking.add(personStream(personId));
  }

  /** The person's member tag under the export's key; null if the key is missing or cannot be unwrapped. */
  private tag(exp: Held, personId: string): string | null {
    if (!exp.wrapped_key) return null;
    try {
      return new Pseudonymiser(this.keys.unwrap(exp.id, exp.wrapped_key)).memberTag(personId);
    } catch (err) {
      // The export's id and the failure only: nothing of the person erasing.
      this.logger.warn(
        `export ${exp.id}: its key cannot be unwrapped (${(err as Error).message}); built again under a fresh key`,
      );
      return null;
    }
  }
}
