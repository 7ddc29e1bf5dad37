import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LIVE_TABLES, Projection, ProjectionHost, Recorded, TableResolver } from '@praxis/event-store';
import {
  assertNever,
  CodedFields,
  ladderOrdinal,
  PersonalDataErased,
  pressureOrdinal,
  ReflectionEvent,
} from '@praxis/journal';
import { argumentOrdinal, embeddingOrdinal, receptionOrdinal } from '../domain/practice-figures';

export const CONTRIBUTIONS = 'org_contributions';
const COLUMNS = [
  'reflection_id',
  'author_id',
  'organisation_id',
  'team_id',
  'occurred_on',
  'pressure',
  'rung',
  'aspired',
  'challenges',
  'principles',
  'embedding',
  'argument',
  'reception',
  'lived',
] as const;

interface Row {
  reflection_id: string;
  author_id: string;
  organisation_id: string;
  team_id: string | null;
  occurred_on: string;
  pressure: number;
  rung: number;
  aspired: number | null;
  challenges: string[];
  principles: string[];
  embedding: number | null;
  argument: number | null;
  reception: number | null;
  lived: boolean | null;
}

function withFields(row: Row, fields: Partial<CodedFields>): Row {
  const next = { ...row };
  if (fields.occurredOn !== undefined) next.occurred_on = fields.occurredOn;
  if (fields.resourcePressure !== undefined) next.pressure = pressureOrdinal(fields.resourcePressure);
  if (fields.ladderRung !== undefined) next.rung = ladderOrdinal(fields.ladderRung);
  if (fields.aspiredRung !== undefined)
    next.aspired = fields.aspiredRung === null ? null : ladderOrdinal(fields.aspiredRung);
  if (fields.challenges !== undefined) next.challenges = [...fields.challenges];
  if (fields.principles !== undefined) next.principles = [...fields.principles];
  if (fields.embedding !== undefined) next.embedding = embeddingOrdinal(fields.embedding);
  if (fields.advocacy !== undefined) {
    next.argument = argumentOrdinal(fields.advocacy?.argument);
    next.reception = receptionOrdinal(fields.advocacy?.reception);
  }
  if (fields.livedExperienceInvolved !== undefined) next.lived = fields.livedExperienceInvolved;
  return next;
}

/**
 * The organisation read model: each live reflection's contribution (see the
 * migration). A batch is folded in memory — a reflection's final state, the
 * people erased — and written in three statements, so a rebuild runs at the
 * speed of reading the log. The result depends only on the events, never on
 * where batches were cut: incremental and rebuilt tables are identical.
 */
export const ORGANISATION_PROJECTION = 'organisation-trends';
export const ORGANISATION_EVENT_TYPES = [
  'ReflectionRecorded',
  'ReflectionAmended',
  'ReflectionWithdrawn',
  'PersonalDataErased',
] as const;
type OrganisationEvent = ReflectionEvent | PersonalDataErased;

@Injectable()
export class OrganisationProjection implements Projection<OrganisationEvent>, OnModuleInit {
  readonly name = ORGANISATION_PROJECTION;
  readonly eventTypes = ORGANISATION_EVENT_TYPES;
  readonly tables = [CONTRIBUTIONS];

  constructor(private readonly host: ProjectionHost) {}

  onModuleInit(): void {
    this.host.register(this);
  }

  async apply(events: Recorded<OrganisationEvent>[], tx: EntityManager, t: TableResolver = LIVE_TABLES): Promise<void> {
    const table = t(CONTRIBUTIONS);
    /** Final state of every reflection the batch touches: a row, or null for gone. */
    const state = new Map<string, Row | null>();
    const erased = new Set<string>();
    await this.loadAmended(events, tx, table, state);
    for (const event of events) {
      switch (event.type) {
        case 'ReflectionRecorded': {
          const { reflectionId, authorId, organisationId, teamId, fields } = event.data;
          const base: Row = {
            reflection_id: reflectionId,
            author_id: authorId,
            organisation_id: organisationId,
            team_id: teamId,
            occurred_on: '',
            pressure: 0,
            rung: 0,
            aspired: null,
            challenges: [],
            principles: [],
            embedding: null,
            argument: null,
            reception: null,
            lived: null,
          };
          state.set(reflectionId, withFields(base, fields));
          break;
        }
        case 'ReflectionAmended': {
          const row = state.get(event.data.reflectionId);
          if (row) state.set(event.data.reflectionId, withFields(row, event.data.fields));
          break;
        }
        case 'ReflectionWithdrawn':
          state.set(event.data.reflectionId, null);
          break;
        case 'PersonalDataErased':
          erased.add(event.data.personId);
          for (const [id, row] of state) if (row?.author_id === event.data.personId) state.set(id, null);
          break;
        default:
          assertNever(event);
      }
    }
    await this.write(tx, table, state, erased);
  }

  /** Rows already stored for reflections this batch amends without recording them. */
  private async loadAmended(
    events: Recorded<OrganisationEvent>[],
    tx: EntityManager,
    table: string,
    state: Map<string, Row | null>,
  ): Promise<void> {
    const recordedHere = new Set(events.flatMap((e) => (e.type === 'ReflectionRecorded' ? [e.data.reflectionId] : [])));
    const ids = [
      ...new Set(events.flatMap((e) => (e.type === 'ReflectionAmended' ? [e.data.reflectionId] : []))),
    ].filter((id) => !recordedHere.has(id));
    if (ids.length === 0) return;
    const rows: Row[] = await tx.query(
      `SELECT reflection_id, author_id, organisation_id, team_id, to_char(occurred_on, 'YYYY-MM-DD') AS occurred_on,
              pressure, rung, aspired, challenges, principles, embedding, argument, reception, lived
         FROM ${table} WHERE reflection_id = ANY($1::uuid[])`,
      [ids],
    );
    for (const row of rows) state.set(row.reflection_id, row);
  }

  private async write(
    tx: EntityManager,
    table: string,
    state: Map<string, Row | null>,
    erased: Set<string>,
  ): Promise<void> {
    const gone = [...state].filter(([, row]) => row === null).map(([id]) => id);
    const kept = [...state.values()].filter((row): row is Row => row !== null);
    if (gone.length) await tx.query(`DELETE FROM ${table} WHERE reflection_id = ANY($1::uuid[])`, [gone]);
    // Rows recorded in this batch after the erasure (none in practice: the account is closed) are kept below.
    if (erased.size) await tx.query(`DELETE FROM ${table} WHERE author_id = ANY($1::uuid[])`, [[...erased]]);
    if (kept.length === 0) return;
    const col = <K extends keyof Row>(name: K) => kept.map((r) => r[name]);
    await tx.query(
      `INSERT INTO ${table} (${COLUMNS.join(', ')})
       SELECT r, a, o, t, d, p, g, s, string_to_array(c, ','), string_to_array(n, ','), e, ar, re, l
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::date[], $6::smallint[], $7::smallint[],
                     $8::smallint[], $9::text[], $10::text[], $11::smallint[], $12::smallint[], $13::smallint[],
                     $14::boolean[])
           AS u(r, a, o, t, d, p, g, s, c, n, e, ar, re, l)
       ON CONFLICT (reflection_id) DO UPDATE SET
         author_id = EXCLUDED.author_id, organisation_id = EXCLUDED.organisation_id, team_id = EXCLUDED.team_id,
         occurred_on = EXCLUDED.occurred_on, pressure = EXCLUDED.pressure, rung = EXCLUDED.rung, aspired = EXCLUDED.aspired,
         challenges = EXCLUDED.challenges, principles = EXCLUDED.principles, embedding = EXCLUDED.embedding,
         argument = EXCLUDED.argument, reception = EXCLUDED.reception, lived = EXCLUDED.lived`,
      [
        col('reflection_id'),
        col('author_id'),
        col('organisation_id'),
        col('team_id'),
        col('occurred_on'),
        col('pressure'),
        col('rung'),
        col('aspired'),
        kept.map((r) => r.challenges.join(',')),
        kept.map((r) => r.principles.join(',')),
        col('embedding'),
        col('argument'),
        col('reception'),
        col('lived'),
      ],
    );
  }
}
