import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isCalendarDate, isUuid, ValidationError } from '@praxis/common';
import { EventStore, isDeclared, isErased, Recorded } from '@praxis/event-store';
import { ContentSealer } from '../application/content-sealer';
import { JournalErrors } from '../domain/journal-errors';
import { reflectionDecider } from '../domain/reflection';
import { CodedFields, ReflectionEvent, reflectionStream, SealedContent } from '../domain/reflection-events';
import { REFLECTION_COLUMNS, ReflectionRow, ReflectionView, toView } from './reflection-view';

export interface Page {
  items: ReflectionView[];
  nextCursor: string | null;
}

export interface HistoryEntry {
  type: ReflectionEvent['type'];
  version: number;
  recordedAt: string;
  data: Record<string, unknown>;
}

/** What a worker reads of their own journal; never anyone else's (404, not 403). */
@Injectable()
export class JournalQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly sealer: ContentSealer,
  ) {}

  /** Newest occurredOn first; the cursor is opaque and stable under new entries. */
  async list(authorId: string, limit = 20, cursor?: string): Promise<Page> {
    const after = cursor ? decodeCursor(cursor) : undefined;
    const rows: ReflectionRow[] = await this.dataSource.query(
      `SELECT ${REFLECTION_COLUMNS} FROM journal_reflections
        WHERE author_id = $1 ${after ? 'AND (occurred_on, reflection_id) < ($3::date, $4::uuid)' : ''}
        ORDER BY occurred_on DESC, reflection_id DESC LIMIT $2`,
      after ? [authorId, limit + 1, after.occurredOn, after.id] : [authorId, limit + 1],
    );
    const page = rows.slice(0, limit);
    const items = await this.views(page);
    const last = page[page.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last ? encodeCursor(last.occurred_on, last.reflection_id) : null,
    };
  }

  async get(authorId: string, reflectionId: string): Promise<ReflectionView> {
    if (!isUuid(reflectionId)) throw JournalErrors.notFound();
    const rows: ReflectionRow[] = await this.dataSource.query(
      `SELECT ${REFLECTION_COLUMNS} FROM journal_reflections WHERE reflection_id = $1 AND author_id = $2`,
      [reflectionId, authorId],
    );
    if (!rows.length) throw JournalErrors.notFound();
    return (await this.views(rows))[0];
  }

  /** The reflection's events in order, text opened: what changed, and when. */
  async history(authorId: string, reflectionId: string, includeWithdrawn = false): Promise<HistoryEntry[]> {
    if (!isUuid(reflectionId)) throw JournalErrors.notFound();
    const events = (await this.store.readStream(reflectionStream(reflectionId))).filter(
      (e): e is Recorded<ReflectionEvent> => isDeclared(reflectionDecider, e),
    );
    if (events[0]?.data.authorId !== authorId) throw JournalErrors.notFound();
    if (!includeWithdrawn && events.some((e) => e.type === 'ReflectionWithdrawn')) throw JournalErrors.notFound();
    const opened = await this.sealer.openMany(
      events.map((e) => ({ authorId, content: e.type === 'ReflectionWithdrawn' ? {} : e.data.content })),
    );
    return events.map((e, i) => {
      if (e.type === 'ReflectionWithdrawn') {
        const { authorId: _author, ...rest } = e.data;
        return entry(e, rest);
      }
      const { authorId: _author, content: _sealed, ...coded } = e.data;
      const text = Object.fromEntries(Object.entries(opened[i]).map(([k, v]) => [k, isErased(v) ? null : v]));
      return entry(e, { ...coded, ...text });
    });
  }

  /** Everything Praxis holds about a person (their right of access), for the API and the page alike. */
  async personalExport(
    user: { id: string; email: string; role: string; organisationId: string | null; teamId: string | null },
    consent: { consent: boolean; since: string | null },
    now: Date,
  ) {
    return {
      exportedAt: now.toISOString(),
      account: {
        id: user.id,
        email: user.email,
        role: user.role,
        organisationId: user.organisationId,
        teamId: user.teamId,
      },
      researchConsent: { granted: consent.consent, since: consent.since },
      reflections: await this.everything(user.id),
    };
  }

  /** Every reflection the person ever wrote (withdrawn ones too), with its history. */
  async everything(
    authorId: string,
  ): Promise<{ id: string; status: 'active' | 'withdrawn'; history: HistoryEntry[] }[]> {
    const streams: { reflection_id: string }[] = await this.dataSource.query(
      `SELECT data->>'reflectionId' AS reflection_id FROM events
        WHERE type = 'ReflectionRecorded' AND data->>'authorId' = $1 ORDER BY global_position`,
      [authorId],
    );
    const out = [];
    for (const { reflection_id } of streams) {
      const history = await this.history(authorId, reflection_id, true);
      out.push({
        id: reflection_id,
        status: history.some((h) => h.type === 'ReflectionWithdrawn') ? ('withdrawn' as const) : ('active' as const),
        history,
      });
    }
    return out;
  }

  private async views(rows: ReflectionRow[]): Promise<ReflectionView[]> {
    const opened = await this.sealer.openMany(
      rows.map((r) => ({ authorId: r.author_id, content: r.content as Partial<SealedContent> })),
    );
    return rows.map((row, i) => toView(row, opened[i]));
  }
}

function encodeCursor(occurredOn: string, id: string): string {
  return Buffer.from(`${occurredOn}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { occurredOn: string; id: string } {
  const [occurredOn, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!isCalendarDate(occurredOn) || !isUuid(id)) {
    throw new ValidationError('REFLECTION.BAD_CURSOR', 'cursor must be the nextCursor of an earlier page');
  }
  return { occurredOn, id };
}

export type { CodedFields };

const entry = (e: Recorded<ReflectionEvent>, data: Record<string, unknown>): HistoryEntry => ({
  type: e.type,
  version: e.streamVersion,
  recordedAt: e.recordedAt.toISOString(),
  data,
});
