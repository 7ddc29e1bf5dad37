import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import {
  InlineProjectionRegistry,
  LIVE_TABLES,
  Pending,
  Projection,
  Recorded,
  TableResolver,
} from '@praxis/event-store';
import { ladderOrdinal, pressureOrdinal } from '../domain/codes';
import {
  CodedFields,
  PersonalDataErased,
  ReflectionEvent,
  ReflectionRecorded,
  assertNever,
} from '../domain/reflection-events';

/** What the individual read model is made of. */
type IndividualEvent = ReflectionEvent | PersonalDataErased;

const TABLE = 'journal_reflections';
export const INDIVIDUAL_PROJECTION = 'journal-individual';

/** Column values for the coded fields that are present. */
function columnsOf(fields: Partial<CodedFields>): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (fields.occurredOn !== undefined) c.occurred_on = fields.occurredOn;
  if (fields.ladderRung !== undefined)
    Object.assign(c, { ladder_rung: fields.ladderRung, rung: ladderOrdinal(fields.ladderRung) });
  if (fields.aspiredRung !== undefined) {
    Object.assign(c, {
      aspired_rung: fields.aspiredRung,
      aspired: fields.aspiredRung ? ladderOrdinal(fields.aspiredRung) : null,
    });
  }
  if (fields.resourcePressure !== undefined) {
    Object.assign(c, {
      resource_pressure: fields.resourcePressure,
      pressure: pressureOrdinal(fields.resourcePressure),
    });
  }
  if (fields.pressureSources !== undefined) c.pressure_sources = fields.pressureSources;
  if (fields.challenges !== undefined) c.challenges = fields.challenges;
  if (fields.principles !== undefined) c.principles = fields.principles;
  if (fields.stage !== undefined) c.stage = fields.stage;
  if (fields.embedding !== undefined) c.embedding = fields.embedding;
  if (fields.advocacy !== undefined) c.advocacy = fields.advocacy === null ? null : JSON.stringify(fields.advocacy);
  if (fields.livedExperienceInvolved !== undefined) c.lived_experience = fields.livedExperienceInvolved;
  return c;
}

/**
 * The row a ReflectionRecorded adds, as one INSERT with placeholders from `first`.
 * An erased author's reflection never enters the model — even one whose append raced
 * with the erasure: FOR SHARE waits for an erasure in flight (which holds the key row
 * FOR UPDATE) and then sees its key destroyed.
 */
function recordedRow(
  recorded: Pending<ReflectionRecorded>,
  t: TableResolver,
  first: number,
  guard: string,
): { sql: string; params: unknown[] } {
  const { reflectionId, authorId, organisationId, teamId, fields, content } = recorded.data;
  const row: Record<string, unknown> = {
    reflection_id: reflectionId,
    author_id: authorId,
    organisation_id: organisationId,
    team_id: teamId,
    version: recorded.streamVersion,
    recorded_at: recorded.recordedAt,
    amended_at: null,
    content: JSON.stringify(content),
    ...columnsOf(fields),
  };
  const names = Object.keys(row);
  return {
    sql: `INSERT INTO ${t(TABLE)} (${names.join(', ')})
     SELECT ${names.map((_, i) => `$${first + i}`).join(', ')}
      WHERE ${guard}NOT EXISTS (SELECT 1 FROM subject_keys
                                 WHERE subject_id = $${first + names.length} AND destroyed_at IS NOT NULL FOR SHARE)
     ON CONFLICT (reflection_id) DO NOTHING`,
    params: [...Object.values(row), authorId],
  };
}

/**
 * The individual read model, kept inside the append's transaction so the page a
 * worker lands on after saving already shows the entry. Deterministic: every
 * value comes from the events (times included), so a rebuild is identical.
 */
@Injectable()
export class IndividualProjection implements Projection<IndividualEvent>, OnModuleInit {
  readonly name = INDIVIDUAL_PROJECTION;
  readonly eventTypes = [
    'ReflectionRecorded',
    'ReflectionAmended',
    'ReflectionWithdrawn',
    'PersonalDataErased',
  ] as const;
  readonly tables = [TABLE];

  constructor(private readonly registry: InlineProjectionRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  /** A new reflection rides in its append's own statement (see Projection.statement). */
  statement(events: Pending<IndividualEvent>[], firstParam: number): { sql: string; params: unknown[] } | undefined {
    if (events.length !== 1 || events[0].type !== 'ReflectionRecorded') return undefined;
    return recordedRow(events[0], LIVE_TABLES, firstParam, 'EXISTS (SELECT 1 FROM appended) AND ');
  }

  async apply(events: Recorded<IndividualEvent>[], tx: EntityManager, t: TableResolver = LIVE_TABLES): Promise<void> {
    for (const event of events) {
      switch (event.type) {
        case 'ReflectionRecorded': {
          const { sql, params } = recordedRow(event, t, 1, '');
          await tx.query(sql, params);
          break;
        }
        case 'ReflectionAmended': {
          const set: Record<string, unknown> = {
            ...columnsOf(event.data.fields),
            version: event.streamVersion,
            amended_at: event.recordedAt,
          };
          const names = Object.keys(set);
          const params = [...Object.values(set), event.data.reflectionId, JSON.stringify(event.data.content)];
          await tx.query(
            `UPDATE ${t(TABLE)} SET ${names.map((n, i) => `${n} = $${i + 1}`).join(', ')},
                    content = content || $${names.length + 2}::jsonb
              WHERE reflection_id = $${names.length + 1}`,
            params,
          );
          break;
        }
        case 'ReflectionWithdrawn':
          await tx.query(`DELETE FROM ${t(TABLE)} WHERE reflection_id = $1`, [event.data.reflectionId]);
          break;
        case 'PersonalDataErased':
          // Hold the key row first, so a reflection being recorded right now either commits
          // before the DELETE below sees it, or waits and then finds the key destroyed.
          await tx.query(`SELECT 1 FROM subject_keys WHERE subject_id = $1 FOR UPDATE`, [event.data.personId]);
          await tx.query(`DELETE FROM ${t(TABLE)} WHERE author_id = $1`, [event.data.personId]);
          break;
        default:
          assertNever(event);
      }
    }
  }
}
