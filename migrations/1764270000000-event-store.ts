import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event log and what the event store keeps beside it.
 *
 * `events` is append-only in the database itself: a trigger rejects UPDATE,
 * DELETE and TRUNCATE whoever asks. For deployments, `praxis_event_writer` is the
 * role an application login should be granted for the log: it can SELECT and
 * INSERT events and nothing else (`GRANT praxis_event_writer TO praxis_app;`).
 *
 * Readers of the whole log go in (transaction_id, global_position) order and
 * only below the oldest running transaction (`pg_snapshot_xmin`), so an event
 * that commits late is never skipped; the index makes that an index range scan.
 */
export class EventStore1764270000000 implements MigrationInterface {
  name = 'EventStore1764270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE events (
        global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
        stream_id       text        NOT NULL,
        stream_version  bigint      NOT NULL CHECK (stream_version > 0),
        event_id        uuid        NOT NULL UNIQUE,
        type            text        NOT NULL CHECK (type <> ''),
        schema_version  integer     NOT NULL DEFAULT 1 CHECK (schema_version > 0),
        data            jsonb       NOT NULL,
        metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        recorded_at     timestamptz NOT NULL,
        CONSTRAINT events_stream_version_unique UNIQUE (stream_id, stream_version)
      )`);
    await q.query(`CREATE INDEX events_commit_order ON events (transaction_id, global_position)`);
    await q.query(`
      CREATE FUNCTION praxis_events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only: % on events is refused', TG_OP
          USING ERRCODE = 'insufficient_privilege',
                HINT = 'append a new event (amendment, withdrawal, erasure) instead';
      END $$`);
    await q.query(`
      CREATE TRIGGER events_no_update_or_delete BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION praxis_events_are_immutable()`);
    await q.query(`
      CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE FUNCTION praxis_events_are_immutable()`);
    await q.query(`
      CREATE TABLE idempotency_keys (
        key          text        PRIMARY KEY,
        request_hash text        NOT NULL,
        result       jsonb,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE projection_checkpoints (
        name            text        PRIMARY KEY,
        transaction_id  xid8        NOT NULL DEFAULT '0'::xid8,
        global_position bigint      NOT NULL DEFAULT 0,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE projection_dead_letters (
        id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        projection      text        NOT NULL,
        global_position bigint      NOT NULL,
        event_id        uuid        NOT NULL,
        event_type      text        NOT NULL,
        error           text        NOT NULL,
        attempts        integer     NOT NULL,
        parked_at       timestamptz NOT NULL DEFAULT now(),
        UNIQUE (projection, event_id)
      )`);
    // Per-person keys live outside the log, so destroying one erases what it sealed.
    await q.query(`
      CREATE TABLE subject_keys (
        subject_id   text        PRIMARY KEY,
        wrapped_key  bytea,
        created_at   timestamptz NOT NULL DEFAULT now(),
        destroyed_at timestamptz,
        CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
      )`);
    // Roles are cluster-wide; creating one may race with another migrator or be refused.
    await q.query(`
      DO $$ BEGIN
        CREATE ROLE praxis_event_writer NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation OR insufficient_privilege THEN NULL;
      END $$`);
    await q.query(`
      DO $$ BEGIN
        GRANT SELECT, INSERT ON events TO praxis_event_writer;
      EXCEPTION WHEN undefined_object OR insufficient_privilege THEN NULL;
      END $$`);
  }

  async down(): Promise<void> {
    throw new Error('the event store migration is not reversible: the log is never dropped by a migration');
  }
}
