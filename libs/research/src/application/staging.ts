import { periodsOfSql } from '@praxis/common';
import type { Queryable } from '@praxis/event-store';

/**
 * The log folded into temporary tables of the build's own connection (a
 * session of its own: dropped before, should an earlier build there have
 * failed, and after) by `INSERT … SELECT` and `UPDATE … FROM` statements run
 * in PostgreSQL over one chunk of log positions at a time. Nothing passes
 * through Node but the chunk's bounds, and each statement is its own short
 * transaction, so no transaction stays open for the build:
 *
 * - `rx_stage`: every reflection written with research consent, in its
 *   current state (each amendment's changed fields replace the old ones, key
 *   by key, in log order — the journal's `evolve`), as coded columns;
 * - `rx_person`: for each person whether they are erased, and where in the
 *   log they last withdrew consent.
 *
 * Store ids are staged here, in the session's private temporary tables that
 * die with it, never in a table another session can read; they become
 * pseudonyms only as records are written (research-records.ts), so the HMAC
 * key never enters the database and each id is hashed once, not once per
 * record.
 *
 * Consent is a history: a reflection counts only if consent was in force when
 * it was written (the journal records that on the reflection) and was not
 * withdrawn after it — giving consent again covers only what is written
 * after that. Reflections written without consent are never staged, and
 * their later events change nothing. Text (`content`) is never read.
 *
 * The SQL reads the events as stored: every journal event is schemaVersion 1
 * and none has an upcaster. A new version needs its upcast here as well.
 */
export const STAGE_TABLES = `
  DROP TABLE IF EXISTS pg_temp.rx_stage, pg_temp.rx_later, pg_temp.rx_person, pg_temp.rx_group, pg_temp.rx_release, pg_temp.rx_place,
    pg_temp.rx_person_pseudonym, pg_temp.rx_organisation_pseudonym, pg_temp.rx_team_pseudonym, pg_temp.rx_member, pg_temp.rx_cut, pg_temp.rx_amend CASCADE;
  CREATE TEMP TABLE rx_stage (
    reflection_id      text COLLATE "C" NOT NULL, -- unique (a reflection is recorded once), indexed once all are staged
    person             text COLLATE "C" NOT NULL,
    written_at         bigint  NOT NULL, -- the log position of its ReflectionRecorded
    organisation       text COLLATE "C" NOT NULL,
    team               text COLLATE "C" NOT NULL, -- '' for no team, so group joins can use '='
    schema_version     integer NOT NULL,
    withdrawn          boolean NOT NULL DEFAULT false,
    amended            boolean NOT NULL DEFAULT false,
    arrived_at         bigint  NOT NULL DEFAULT 0, -- where in the log it came into its quarter: written, or moved there by an amendment
    occurred_on        date    NOT NULL,
    week               text COLLATE "C" NOT NULL,
    month              text COLLATE "C" NOT NULL,
    quarter            text COLLATE "C" NOT NULL,
    ladder_rung        text,
    aspired_rung       text,
    resource_pressure  text,
    pressure_sources   jsonb,
    challenges         jsonb,
    principles         jsonb,
    stage              text,
    embedding          text,
    advocacy_argument  text,
    advocacy_reception text,
    lived_experience   boolean
  );
  CREATE INDEX rx_stage_written_at ON rx_stage (written_at);
  CREATE TEMP TABLE rx_later (
    pos       bigint  NOT NULL, -- the log position of the ReflectionAmended or ReflectionWithdrawn
    rid       text COLLATE "C" NOT NULL,
    withdrawn boolean NOT NULL,
    fields    jsonb            -- an amendment's changed fields
  );
  -- The amendments of rx_later, numbered in log order per reflection (seq), with the hash that parts them.
  CREATE TEMP TABLE rx_amend (
    rid    text COLLATE "C" NOT NULL,
    pos    bigint  NOT NULL,
    seq    integer NOT NULL,
    part   integer NOT NULL,
    fields jsonb   NOT NULL
  );
  CREATE TEMP TABLE rx_person (
    person          text COLLATE "C" PRIMARY KEY,
    erased          boolean NOT NULL,
    last_withdrawal bigint  NOT NULL -- the log position of their latest ResearchConsentWithdrawn, 0 if none
  );
  -- Each (organisation, team, week) of the staged reflections: how many people and records, and who where fewer than k.
  CREATE TEMP TABLE rx_group (
    organisation text COLLATE "C" NOT NULL,
    team         text COLLATE "C" NOT NULL,
    week         text COLLATE "C" NOT NULL,
    month        text COLLATE "C" NOT NULL,
    quarter      text COLLATE "C" NOT NULL,
    people       integer NOT NULL,
    records      integer NOT NULL,
    persons      text[] COLLATE "C", -- only where people < k: the coarser levels count them
    PRIMARY KEY (organisation, team, week)
  );
  CREATE TEMP TABLE rx_release (
    organisation text COLLATE "C" NOT NULL,
    team         text COLLATE "C" NOT NULL,
    period       text COLLATE "C" NOT NULL,
    level        smallint NOT NULL, -- 1 week, 2 month, 3 quarter
    granularity  text NOT NULL,
    PRIMARY KEY (organisation, team, period)
  );
  CREATE TEMP TABLE rx_place (
    organisation text COLLATE "C" NOT NULL,
    team         text COLLATE "C" NOT NULL,
    week         text COLLATE "C" NOT NULL,
    granularity  text NOT NULL,
    period       text COLLATE "C" NOT NULL,
    quarter      text COLLATE "C" NOT NULL, -- the week's
    records      integer NOT NULL,
    PRIMARY KEY (organisation, team, week)
  );
  CREATE TEMP TABLE rx_person_pseudonym (id text COLLATE "C" PRIMARY KEY, pseudonym text COLLATE "C" NOT NULL);
  CREATE TEMP TABLE rx_organisation_pseudonym (id text COLLATE "C" PRIMARY KEY, pseudonym text COLLATE "C" NOT NULL);
  CREATE TEMP TABLE rx_team_pseudonym (id text COLLATE "C" PRIMARY KEY, pseudonym text COLLATE "C" NOT NULL);
  -- The member tag of every person with a record in the files (not those only suppressed): what an erasure looks for.
  CREATE TEMP TABLE rx_member (tag text COLLATE "C" PRIMARY KEY);
  -- Each quarter ever exported, and every quarter of the range, with its cut (research_quarters).
  CREATE TEMP TABLE rx_cut (quarter text COLLATE "C" PRIMARY KEY, horizon bigint NOT NULL)`;

export const DROP_STAGE_TABLES = `DROP TABLE IF EXISTS pg_temp.rx_stage, pg_temp.rx_later, pg_temp.rx_person, pg_temp.rx_group, pg_temp.rx_release, pg_temp.rx_place,
    pg_temp.rx_person_pseudonym, pg_temp.rx_organisation_pseudonym, pg_temp.rx_team_pseudonym, pg_temp.rx_member, pg_temp.rx_cut, pg_temp.rx_amend CASCADE`;

export async function createStageTables(db: Queryable): Promise<void> {
  for (const statement of STAGE_TABLES.split(';')) await db.query(statement);
}

const RECORDED_PERIODS = periodsOfSql('f."occurredOn"');

/**
 * One chunk of the log (positions $1 < p ≤ $2) folded in one statement that
 * reads the chunk once (materialised: each part below reads it, and the log's
 * pages are read from the table once) and answers how many events it holds:
 *
 * - reflections recorded with consent go to `rx_stage`, each event's JSON
 *   taken apart once;
 * - amendments and withdrawals go to `rx_later`, applied once everything is
 *   staged (applyLater, amendments.ts);
 * - consent withdrawals and erasures go to `rx_person`: erasure is for good; a
 *   withdrawal is remembered by where it stands in the log (giving consent
 *   again does not undo it).
 */
const STAGE_CHUNK_SQL = `
  WITH ev AS MATERIALIZED (
    SELECT e.global_position, e.type, e.schema_version,
           CASE WHEN e.type IN ('ReflectionRecorded', 'ReflectionAmended', 'ReflectionWithdrawn',
                                'ResearchConsentWithdrawn', 'PersonalDataErased') THEN e.data END AS data
      FROM events e
     WHERE e.global_position > $1 AND e.global_position <= $2
  ), recorded AS (
    INSERT INTO rx_stage (reflection_id, person, written_at, arrived_at, organisation, team, schema_version, occurred_on, week, month, quarter,
                          ladder_rung, aspired_rung, resource_pressure, pressure_sources, challenges, principles, stage, embedding,
                          advocacy_argument, advocacy_reception, lived_experience)
    SELECT d."reflectionId", d."authorId", e.global_position, e.global_position, d."organisationId", coalesce(d."teamId", ''), e.schema_version,
           f."occurredOn", ${RECORDED_PERIODS.week}, ${RECORDED_PERIODS.month}, ${RECORDED_PERIODS.quarter},
           f."ladderRung", f."aspiredRung", f."resourcePressure", f."pressureSources", f.challenges, f.principles, f.stage, f.embedding,
           f.advocacy->>'argument', f.advocacy->>'reception', f."livedExperienceInvolved"
      FROM ev e
     CROSS JOIN LATERAL jsonb_to_record(e.data)
           AS d("reflectionId" text, "authorId" text, "organisationId" text, "teamId" text, fields jsonb)
     CROSS JOIN LATERAL jsonb_to_record(d.fields)
           AS f("occurredOn" date, "ladderRung" text, "aspiredRung" text, "resourcePressure" text, "pressureSources" jsonb,
                challenges jsonb, principles jsonb, stage text, embedding text, advocacy jsonb, "livedExperienceInvolved" boolean)
     WHERE e.type = 'ReflectionRecorded' AND e.data->'researchConsent' = 'true'::jsonb
  ), later AS (
    INSERT INTO rx_later (pos, rid, withdrawn, fields)
    SELECT e.global_position, e.data->>'reflectionId', e.type = 'ReflectionWithdrawn', e.data->'fields'
      FROM ev e
     WHERE e.type IN ('ReflectionAmended', 'ReflectionWithdrawn')
  ), persons AS (
    INSERT INTO rx_person (person, erased, last_withdrawal)
    SELECT e.data->>'personId', bool_or(e.type = 'PersonalDataErased'),
           coalesce(max(e.global_position) FILTER (WHERE e.type = 'ResearchConsentWithdrawn'), 0)
      FROM ev e
     WHERE e.type IN ('ResearchConsentWithdrawn', 'PersonalDataErased')
     GROUP BY 1
    ON CONFLICT (person) DO UPDATE SET erased = rx_person.erased OR EXCLUDED.erased,
      last_withdrawal = greatest(rx_person.last_withdrawal, EXCLUDED.last_withdrawal)
  )
  SELECT count(*)::int AS n FROM ev`;

/** Folds the events at positions (after, upTo] into the staging tables; returns how many events that span holds. */
export async function stageChunk(db: Queryable, after: number, upTo: number): Promise<number> {
  const [{ n }]: { n: number }[] = await db.query(STAGE_CHUNK_SQL, [after, upTo]);
  return n;
}

/**
 * Erasure also shows outside the log: the person's key is destroyed in the
 * erasure's own transaction; checking the key table too means an erasure
 * counts even if its event were somehow not in the cut.
 */
export async function stageShreddedKeys(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO rx_person (person, erased, last_withdrawal)
     SELECT subject_id, true, 0 FROM subject_keys WHERE destroyed_at IS NOT NULL
     ON CONFLICT (person) DO UPDATE SET erased = true`,
  );
}

/**
 * Leaves in `rx_stage` only what the export may hold, for staged reflections
 * written at positions (after, upTo]: whole quarters (by the week's Thursday,
 * so no week is cut), not withdrawn, author not erased, consent not
 * withdrawn after writing, and not come into its quarter (written, or moved
 * there by an amendment) after the quarter's cut (`rx_cut`): an export of a
 * quarter never gains a record after the first export of it (nor sees one
 * change or leave by an amendment: applyLater skips those, amendments.ts).
 */
export async function dropIneligible(
  db: Queryable,
  after: number,
  upTo: number,
  firstQuarter: string,
  lastQuarter: string,
): Promise<void> {
  await db.query(
    `DELETE FROM rx_stage s
      WHERE s.written_at > $1 AND s.written_at <= $2
        AND (s.withdrawn OR s.quarter < $3 OR s.quarter > $4
             OR EXISTS (SELECT 1 FROM rx_person p WHERE p.person = s.person AND (p.erased OR p.last_withdrawal > s.written_at))
             OR NOT EXISTS (SELECT 1 FROM rx_cut c WHERE c.quarter = s.quarter AND c.horizon >= s.arrived_at))`,
    [after, upTo, firstQuarter, lastQuarter],
  );
}
