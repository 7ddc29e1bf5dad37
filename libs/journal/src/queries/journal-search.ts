import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isCalendarDate, isUuid, ValidationError } from '@praxis/common';
import { ContentSealer } from '../application/content-sealer';
import {
  CHALLENGE_CODES,
  Challenge,
  LADDER_CODES,
  LadderRung,
  PRESSURE_CODES,
  ResourcePressure,
} from '../domain/codes';
import { SealedContent } from '../domain/reflection-events';
import { REFLECTION_COLUMNS, ReflectionRow, ReflectionView, toView } from './reflection-view';

/** What a worker narrows their journal to; every part optional. */
export interface JournalFilter {
  from?: string;
  to?: string;
  rung?: LadderRung;
  pressure?: ResourcePressure;
  challenge?: Challenge;
  /** Words to find in their own text (what happened, so what, now what, tags). */
  q?: string;
}

export interface JournalPage {
  items: ReflectionView[];
  /** Cursors to the page of older and of newer reflections, when there is one. */
  older: string | null;
  newer: string | null;
  /** How many reflections match the filter. */
  total: number;
}

const MAX_QUERY = 200;

/** What paging needs of a row: its order. */
type Key = Pick<ReflectionRow, 'reflection_id' | 'occurred_on'>;

/**
 * The worker's journal, filtered and paged both ways. The search opens the
 * worker's own text on the server, in memory, for that request alone: the
 * text is never stored or indexed in clear, and only the author's key opens it.
 */
@Injectable()
export class JournalSearch {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sealer: ContentSealer,
  ) {}

  /** Checks a filter as the page or the API received it; a person gets a message they can act on. */
  static filterOf(query: Record<string, unknown>): JournalFilter {
    const text = (name: string) =>
      typeof query[name] === 'string' && (query[name] as string).trim() !== ''
        ? (query[name] as string).trim()
        : undefined;
    const filter: JournalFilter = {};
    const from = text('from');
    const to = text('to');
    if (from !== undefined && !isCalendarDate(from))
      throw new ValidationError('JOURNAL.BAD_FILTER', 'The "From" date must be a real date');
    if (to !== undefined && !isCalendarDate(to))
      throw new ValidationError('JOURNAL.BAD_FILTER', 'The "To" date must be a real date');
    if (from && to && from > to)
      throw new ValidationError('JOURNAL.BAD_FILTER', 'The "From" date must not be after the "To" date');
    const pick = <C extends string>(name: string, codes: readonly C[], what: string): C | undefined => {
      const value = text(name);
      if (value !== undefined && !codes.includes(value as C))
        throw new ValidationError('JOURNAL.BAD_FILTER', `Choose ${what} from the list`);
      return value as C | undefined;
    };
    Object.assign(filter, {
      from,
      to,
      rung: pick('rung', LADDER_CODES, 'a rung'),
      pressure: pick('pressure', PRESSURE_CODES, 'a pressure level'),
    });
    filter.challenge = pick('challenge', CHALLENGE_CODES, 'a challenge');
    const q = text('q');
    if (q !== undefined && q.length > MAX_QUERY)
      throw new ValidationError('JOURNAL.BAD_FILTER', `Search for at most ${MAX_QUERY} characters`);
    filter.q = q;
    return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as JournalFilter;
  }

  /** A page of the author's reflections (newest first) after `older` or before `newer`. */
  async page(
    authorId: string,
    filter: JournalFilter,
    limit: number,
    at: { older?: string; newer?: string } = {},
  ): Promise<JournalPage> {
    const { rows: all, opened } = await this.matching(authorId, filter);
    /** How many rows (newest first) sort before the cursor — strictly newer, or also the cursor's own row. */
    const before = (cursor: string, inclusive: boolean) => {
      const { occurredOn: d, id } = decodeCursor(cursor);
      const i = all.findIndex(
        (r) => r.occurred_on < d || (r.occurred_on === d && (inclusive ? r.reflection_id < id : r.reflection_id <= id)),
      );
      return i < 0 ? all.length : i;
    };
    let start = 0;
    let end = Math.min(all.length, limit);
    if (at.older) {
      start = before(at.older, true);
      end = Math.min(all.length, start + limit);
    } else if (at.newer) {
      end = before(at.newer, false);
      start = Math.max(0, end - limit);
    }
    const rows = all.slice(start, end);
    const items = await this.views(authorId, rows, opened);
    const first = rows[0];
    const last = rows[rows.length - 1];
    return {
      items,
      older: last && end < all.length ? encodeCursor(last.occurred_on, last.reflection_id) : null,
      newer: first && start > 0 ? encodeCursor(first.occurred_on, first.reflection_id) : null,
      total: all.length,
    };
  }

  /** Every reflection that matches, newest first, text opened (for the CSV download). */
  async all(authorId: string, filter: JournalFilter): Promise<ReflectionView[]> {
    const { rows, opened } = await this.matching(authorId, filter);
    return this.views(authorId, rows, opened);
  }

  /**
   * Rows matching the coded filters in SQL, then the text filter on the opened
   * text. Without words to find, only each row's date and id are read: the page
   * loads its own rows afterwards.
   */
  private async matching(
    authorId: string,
    filter: JournalFilter,
  ): Promise<{ rows: Key[]; opened?: Map<Key, ReflectionView> }> {
    const where = ['author_id = $1'];
    const params: unknown[] = [authorId];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.from) add('occurred_on >= ?::date', filter.from);
    if (filter.to) add('occurred_on <= ?::date', filter.to);
    if (filter.rung) add('ladder_rung = ?', filter.rung);
    if (filter.pressure) add('resource_pressure = ?', filter.pressure);
    if (filter.challenge) add('? = ANY(challenges)', filter.challenge);
    const columns = filter.q ? REFLECTION_COLUMNS : `reflection_id, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on`;
    const rows: ReflectionRow[] = await this.dataSource.query(
      `SELECT ${columns} FROM journal_reflections WHERE ${where.join(' AND ')} ORDER BY occurred_on DESC, reflection_id DESC`,
      params,
    );
    if (!filter.q) return { rows };
    const words = normalise(filter.q).split(/\s+/).filter(Boolean);
    const views = await this.open(rows);
    const opened = new Map<Key, ReflectionView>(rows.map((row, i) => [row, views[i]]));
    return {
      rows: rows.filter((row) => {
        const v = opened.get(row)!;
        const haystack = normalise([v.whatHappened, v.soWhat ?? '', v.nowWhat ?? '', v.tags.join(' ')].join('\n'));
        return words.every((w) => haystack.includes(w));
      }),
      opened,
    };
  }

  /** The reflections of these keys, in their order, text opened (once: a search has already opened it). */
  private async views(authorId: string, keys: Key[], opened?: Map<Key, ReflectionView>): Promise<ReflectionView[]> {
    if (opened) return keys.map((key) => opened.get(key)!);
    if (keys.length === 0) return [];
    const rows: ReflectionRow[] = await this.dataSource.query(
      `SELECT ${REFLECTION_COLUMNS} FROM journal_reflections WHERE author_id = $1 AND reflection_id = ANY($2::uuid[])`,
      [authorId, keys.map((k) => k.reflection_id)],
    );
    const byId = new Map(rows.map((r) => [r.reflection_id, r]));
    return this.open(keys.map((k) => byId.get(k.reflection_id)).filter((r): r is ReflectionRow => r !== undefined));
  }

  private async open(rows: ReflectionRow[]): Promise<ReflectionView[]> {
    const text = await this.sealer.openMany(
      rows.map((r) => ({ authorId: r.author_id, content: r.content as Partial<SealedContent> })),
    );
    return rows.map((row, i) => toView(row, text[i]));
  }
}

/** Case and accents do not matter: "cafe" finds "Café". */
const normalise = (s: string) => s.normalize('NFKD').replace(/\p{M}/gu, '').toLocaleLowerCase('en-GB');

function encodeCursor(occurredOn: string, id: string): string {
  return Buffer.from(`${occurredOn}|${id}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { occurredOn: string; id: string } {
  const [occurredOn, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  if (!isCalendarDate(occurredOn) || !isUuid(id))
    throw new ValidationError('JOURNAL.BAD_CURSOR', 'That page link is not valid: go back to the journal');
  return { occurredOn, id };
}
