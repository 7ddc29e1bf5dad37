import { Database } from '@praxis/common';

/** The people and organisations the research bench's log is written for. */
export const PEOPLE = 20_000;
export const ORGS = 100;

/**
 * Bulk INSERT ... SELECT generate_series: the same event shapes the journal
 * appends (sealed text as placeholders), in chunks of 100 000 per transaction.
 */
export async function fillReflections(db: Database, total: number): Promise<void> {
  const chunk = 100_000;
  for (let done = 0; done < total; done += chunk) {
    const size = Math.min(chunk, total - done);
    await db.dataSource.query(
      `WITH g AS (SELECT n, md5('reflection' || n)::uuid AS rid, ((n::bigint * 7919) % $3::int)::int AS person
                    FROM generate_series($1::int + 1, $1::int + $2::int) n)
       INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
       SELECT 'reflection-' || rid, 1, gen_random_uuid(), 'ReflectionRecorded',
              jsonb_build_object(
                'reflectionId', rid, 'authorId', md5('person' || person)::uuid,
                'organisationId', md5('org' || (person % $4::int))::uuid,
                'teamId', CASE WHEN person % 5 = 0 THEN NULL ELSE md5('team' || (person % ($4::int * 4)))::uuid END,
                'researchConsent', person % 3 <> 2,
                'fields', jsonb_build_object(
                  'occurredOn', to_char(date '2003-01-01' + (n % 1461), 'YYYY-MM-DD'),
                  'ladderRung', (ARRAY['coercion','educating','informing','consultation','engagement',
                                       'co_design','co_production'])[1 + n % 7],
                  'aspiredRung', CASE WHEN n % 3 = 0 THEN NULL ELSE 'co_production' END,
                  'resourcePressure', (ARRAY['resourced','stretched','severe','survival'])[1 + (n / 7) % 4],
                  'pressureSources', CASE WHEN n % 2 = 0 THEN '["time","funding"]'::jsonb ELSE '["staffing"]'::jsonb END,
                  'challenges', CASE WHEN n % 4 = 0 THEN '["time","power_and_risk"]'::jsonb ELSE '[]'::jsonb END,
                  'principles', '["assets","mutuality"]'::jsonb,
                  'stage', 'co_delivery', 'embedding', NULL,
                  'advocacy', jsonb_build_object('argument', 'ethical', 'reception', 'neutral'),
                  'livedExperienceInvolved', n % 2 = 0),
                'content', jsonb_build_object('whatHappened', 'pxe1:' || md5(n::text), 'soWhat', NULL, 'nowWhat', NULL, 'tags', NULL)),
              jsonb_build_object('actorId', md5('person' || person)::uuid), now()
         FROM g`,
      [done, size, PEOPLE, ORGS],
    );
    // One in twenty is amended: a new pressure level, and new (sealed) text.
    await db.dataSource.query(
      `INSERT INTO events (stream_id, stream_version, event_id, type, data, metadata, recorded_at)
       SELECT 'reflection-' || md5('reflection' || n)::uuid, 2, gen_random_uuid(), 'ReflectionAmended',
              jsonb_build_object('reflectionId', md5('reflection' || n)::uuid,
                                 'authorId', md5('person' || (((n::bigint * 7919) % $3::int)::int))::uuid,
                                 'fields', jsonb_build_object('resourcePressure', 'survival'),
                                 'content', jsonb_build_object('soWhat', 'pxe1:' || md5(n::text))),
              '{}'::jsonb, now()
         FROM generate_series($1::int + 1, $1::int + $2::int) n WHERE n % 20 = 0`,
      [done, size, PEOPLE],
    );
  }
  await db.dataSource.query(`ANALYZE events`);
}
