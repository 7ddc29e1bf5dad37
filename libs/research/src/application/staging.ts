import { EntityManager } from 'typeorm';
import { EventStore, RecordedEvent } from '@praxis/event-store';
import {
  CodedFields,
  evolve,
  PersonEvent,
  ReflectionEvent,
  ReflectionRecorded,
  ReflectionState,
} from '@praxis/journal';
import { codedRecord } from '../domain/export-record';
import { periodsOf } from '@praxis/common';
import { Pseudonymiser } from '../domain/pseudonyms';

/**
 * The log folded into two temporary tables of the build's own connection
 * (a session of its own: dropped before, should an earlier build there have
 * failed, and after), one page of events at a time, each page in short
 * statements of its own, so memory stays flat whatever the log's size and no
 * transaction stays open for the build:
 *
 * - `rx_stage`: every reflection written with research consent, in its
 *   current state (amendments applied by the journal's own `evolve`),
 *   already pseudonymised: no person, organisation or team id is staged;
 * - `rx_person`: for each person (by pseudonym) whether they are erased, and
 *   where in the log they last withdrew consent.
 *
 * Consent is a history: a reflection counts only if consent was in force when
 * it was written (the journal records that on the reflection) and was not
 * withdrawn after it — giving consent again covers only what is written
 * after that. Reflections written without consent are never staged, and
 * their later events are skipped. Text (`content`) is never read.
 */
export const STAGE_TABLES = `
  DROP TABLE IF EXISTS pg_temp.rx_stage, pg_temp.rx_person;
  CREATE TEMP TABLE rx_stage (
    reflection_id text PRIMARY KEY,
    person        text    NOT NULL,
    written_at    bigint  NOT NULL, -- the log position of its ReflectionRecorded
    organisation  text    NOT NULL,
    team          text    NOT NULL, -- '' for no team, so group joins can use '='
    schema_version integer NOT NULL,
    withdrawn     boolean NOT NULL,
    occurred_on   date    NOT NULL,
    week          text    NOT NULL,
    month         text    NOT NULL,
    quarter       text    NOT NULL,
    fields        jsonb   NOT NULL,
    coded         jsonb   NOT NULL,
    granularity   text,
    period        text
  );
  CREATE TEMP TABLE rx_person (
    person            text PRIMARY KEY,
    erased            boolean NOT NULL,
    last_withdrawal   bigint  NOT NULL -- the log position of their latest ResearchConsentWithdrawn, 0 if none
  )`;

export const DROP_STAGE_TABLES = `DROP TABLE IF EXISTS pg_temp.rx_stage, pg_temp.rx_person`;

interface StageRow {
  reflection_id: string;
  person: string;
  written_at: string;
  organisation: string;
  team: string;
  schema_version: number;
  withdrawn: boolean;
  amended: boolean;
  fields: CodedFields;
}

const PAGE = 5000;
const REFLECTION_TYPES = new Set(['ReflectionRecorded', 'ReflectionAmended', 'ReflectionWithdrawn']);
const PERSON_TYPES = new Set(['ResearchConsentGiven', 'ResearchConsentWithdrawn', 'PersonalDataErased']);

export async function stageLog(
  tx: EntityManager,
  store: EventStore,
  pseudonyms: Pseudonymiser,
  horizon: number,
  progress: (eventsRead: number) => Promise<void> = async () => {},
): Promise<void> {
  for (const statement of STAGE_TABLES.split(';')) await tx.query(statement);
  // The cut: the events up to the horizon (the export's own creation), the same whenever each page is read.
  let after = 0;
  let read = 0;
  for (;;) {
    const page = await store.readSnapshot(after, PAGE, tx, horizon);
    if (page.length === 0) return stageShreddedKeys(tx, pseudonyms);
    after = page[page.length - 1].globalPosition;
    read += page.length;
    await stageReflections(
      tx,
      page.filter((e) => REFLECTION_TYPES.has(e.type)) as RecordedEvent<ReflectionEvent['type']>[],
      pseudonyms,
    );
    await stagePersons(
      tx,
      page.filter((e) => PERSON_TYPES.has(e.type)),
      pseudonyms,
    );
    await progress(read);
  }
}

async function stageReflections(tx: EntityManager, events: RecordedEvent[], pseudonyms: Pseudonymiser): Promise<void> {
  if (events.length === 0) return;
  const laterIds = [
    ...new Set(
      events
        .filter((e) => e.type !== 'ReflectionRecorded')
        .map((e) => (e.data as { reflectionId: string }).reflectionId),
    ),
  ];
  const touched = new Map<string, StageRow>();
  if (laterIds.length) {
    const rows: (StageRow & { coded: { amended: boolean } })[] = await tx.query(
      `SELECT reflection_id, person, written_at, organisation, team, schema_version, withdrawn, fields, coded FROM rx_stage WHERE reflection_id = ANY($1::text[])`,
      [laterIds],
    );
    for (const row of rows) touched.set(row.reflection_id, { ...row, amended: row.coded.amended });
  }
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as ReflectionEvent;
    if (event.type === 'ReflectionRecorded') {
      if (event.data.researchConsent !== true) continue;
      touched.set(
        event.data.reflectionId,
        fromRecorded(event, recorded.schemaVersion, recorded.globalPosition, pseudonyms),
      );
      continue;
    }
    const row = touched.get(event.data.reflectionId);
    if (!row) continue; // written without consent: never staged
    if (event.type === 'ReflectionWithdrawn') row.withdrawn = true;
    else {
      const state = evolve({ status: 'active', fields: row.fields } as ReflectionState, event);
      if (state.status !== 'none') row.fields = state.fields;
      row.amended = true;
    }
  }
  if (touched.size === 0) return;
  const rows = [...touched.values()].map((row) => ({
    reflection_id: row.reflection_id,
    person: row.person,
    written_at: row.written_at,
    organisation: row.organisation,
    team: row.team,
    schema_version: row.schema_version,
    withdrawn: row.withdrawn,
    occurred_on: row.fields.occurredOn,
    ...periodsOf(row.fields.occurredOn),
    fields: row.fields,
    coded: codedRecord(row.fields, row.schema_version, row.amended),
  }));
  await tx.query(
    `INSERT INTO rx_stage (reflection_id, person, written_at, organisation, team, schema_version, withdrawn, occurred_on, week, month, quarter, fields, coded)
     SELECT reflection_id, person, written_at, organisation, team, schema_version, withdrawn, occurred_on, week, month, quarter, fields, coded
       FROM jsonb_to_recordset($1::jsonb) AS r(reflection_id text, person text, written_at bigint, organisation text, team text, schema_version integer,
            withdrawn boolean, occurred_on date, week text, month text, quarter text, fields jsonb, coded jsonb)
     ON CONFLICT (reflection_id) DO UPDATE SET withdrawn = EXCLUDED.withdrawn, occurred_on = EXCLUDED.occurred_on, week = EXCLUDED.week,
       month = EXCLUDED.month, quarter = EXCLUDED.quarter, fields = EXCLUDED.fields, coded = EXCLUDED.coded`,
    [JSON.stringify(rows)],
  );
}

function fromRecorded(
  event: ReflectionRecorded,
  schemaVersion: number,
  position: number | string,
  pseudonyms: Pseudonymiser,
): StageRow {
  const { reflectionId, authorId, organisationId, teamId, fields } = event.data;
  return {
    reflection_id: reflectionId,
    person: pseudonyms.person(authorId),
    written_at: String(position),
    organisation: pseudonyms.organisation(organisationId),
    team: teamId ? pseudonyms.team(teamId) : '',
    schema_version: schemaVersion,
    withdrawn: false,
    amended: false,
    fields,
  };
}

async function stagePersons(tx: EntityManager, events: RecordedEvent[], pseudonyms: Pseudonymiser): Promise<void> {
  if (events.length === 0) return;
  // Erasure is for good; a withdrawal is remembered by where it stands in the log (giving consent again does not undo it).
  const people = new Map<string, { erased: boolean; lastWithdrawal: string }>();
  for (const recorded of events) {
    const event = { type: recorded.type, data: recorded.data } as PersonEvent;
    const person = pseudonyms.person(event.data.personId);
    const state = people.get(person) ?? { erased: false, lastWithdrawal: '0' };
    if (event.type === 'PersonalDataErased') state.erased = true;
    else if (event.type === 'ResearchConsentWithdrawn') state.lastWithdrawal = String(recorded.globalPosition);
    people.set(person, state);
  }
  const rows = [...people].map(([person, s]) => ({ person, erased: s.erased, last_withdrawal: s.lastWithdrawal }));
  await tx.query(
    `INSERT INTO rx_person (person, erased, last_withdrawal)
     SELECT person, erased, last_withdrawal FROM jsonb_to_recordset($1::jsonb) AS r(person text, erased boolean, last_withdrawal bigint)
     ON CONFLICT (person) DO UPDATE SET erased = rx_person.erased OR EXCLUDED.erased,
       last_withdrawal = greatest(rx_person.last_withdrawal, EXCLUDED.last_withdrawal)`,
    [JSON.stringify(rows)],
  );
}

/**
 * Erasure also shows outside the log: the person's key is destroyed in the
 * erasure's own transaction; checking the key table too means an erasure
 * counts even if its event were somehow not in the snapshot's cut.
 */
async function stageShreddedKeys(tx: EntityManager, pseudonyms: Pseudonymiser): Promise<void> {
  const rows: { subject_id: string }[] = await tx.query(
    `SELECT subject_id FROM subject_keys WHERE destroyed_at IS NOT NULL`,
  );
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO rx_person (person, erased, last_withdrawal) SELECT unnest($1::text[]), true, 0
     ON CONFLICT (person) DO UPDATE SET erased = true`,
    [rows.map((r) => pseudonyms.person(r.subject_id))],
  );
}
