import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AppConfig, Database, SystemClock } from '@praxis/common';
import { EventStore, InlineProjectionRegistry, ProjectionHost, UpcasterRegistry } from '@praxis/event-store';
import { AddMemberCommand, CreateOrganisationCommand, SYSTEM, TokenService } from '@praxis/identity';
import { OrganisationProjection, OrganisationTrends, ReadModelRebuilder } from '@praxis/projections';
import { createApp } from '../../../api/src/bootstrap';
import { LagProbe } from './lag-probe';
import { fmt, percentile } from './measure';

export interface TrendsBenchOptions {
  /** Reflections in the log (100 organisations, 10 000 workers, three years). */
  reflections: number;
  /** Seconds of steady appends for the lag figure. */
  lagSeconds: number;
}

const ORGS = 100;
const WORKERS = 10_000;
const TEAMS_PER_ORG = 5;
const LADDER = `ARRAY['coercion','educating','informing','consultation','engagement','co_design','co_production']`;
const PRESSURE = `ARRAY['resourced','stretched','severe','survival']`;
const EMBEDDINGS = `ARRAY['one_off','recurring','team_norm','organisational_policy']`;
const ARGUMENTS = `ARRAY['ethical','better_outcomes','less_risk','other']`;
const RECEPTIONS = `ARRAY['receptive','neutral','resistant']`;
const CHALLENGES = `ARRAY['time','skills','power_and_risk','reduced_resources',
                         'colleague_buy_in','short_term_funding','participation_barriers','other']`;

/** ReflectionRecorded events i in [from, to), generated in SQL: worker w = i mod 10 000 in organisation $3[w mod 100]. */
const GENERATE = `
  INSERT INTO events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)
  SELECT 'reflection-' || r.id, 1, gen_random_uuid(), 'ReflectionRecorded', 1,
         jsonb_build_object(
           'reflectionId', r.id, 'authorId', md5('author' || r.w)::uuid, 'organisationId', ($3::uuid[])[1 + r.w % ${ORGS}],
           'teamId', md5('team' || (r.w % ${ORGS}) || '-' || ((r.w / ${ORGS}) % ${TEAMS_PER_ORG}))::uuid, 'researchConsent', false,
           'fields', jsonb_build_object(
             'occurredOn', to_char(date '2023-01-02' + (r.h % 1092), 'YYYY-MM-DD'),
             'ladderRung', (${LADDER})[1 + (r.h / 7) % 7], 'aspiredRung', CASE WHEN r.h % 3 = 0 THEN (${LADDER})[1 + (r.h / 11) % 7] END,
             'resourcePressure', (${PRESSURE})[1 + (r.h / 13) % 4], 'pressureSources', '[]'::jsonb,
             'challenges', to_jsonb(ARRAY[(${CHALLENGES})[1 + (r.h / 17) % 8]]), 'principles', '[]'::jsonb,
             'stage', NULL, 'embedding', CASE WHEN r.h % 5 > 0 THEN (${EMBEDDINGS})[1 + (r.h / 19) % 4] END,
             'advocacy', CASE WHEN r.h % 3 = 1
                              THEN jsonb_build_object('argument', (${ARGUMENTS})[1 + (r.h / 23) % 4],
                                                      'reception', (${RECEPTIONS})[1 + (r.h / 29) % 3]) END,
             'livedExperienceInvolved', CASE WHEN r.h % 4 > 0 THEN (r.h / 31) % 2 = 0 END),
           'content', jsonb_build_object('whatHappened', 'sealed:' || repeat('x', 120), 'soWhat', NULL, 'nowWhat', NULL, 'tags', NULL)),
         '{"actorId":"bench"}'::jsonb, now()
    FROM (SELECT md5('reflection' || i)::uuid AS id, i % ${WORKERS} AS w, abs(hashint4(i)) AS h
            FROM generate_series($1::int, $2::int - 1) AS i) r`;

/**
 * The organisation read model at scale, in a running api (real HTTP, real
 * organisations and leaders): a full rebuild from a large log, a year of
 * monthly trends for one organisation — in the service and over HTTP, cold
 * (suppression solved afresh) and warm — and projection lag under steady appends.
 */
export async function benchTrends(base: AppConfig, options: TrendsBenchOptions): Promise<string[]> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const config = base.with({
    databaseSchema: base.databaseUrl ? schema : undefined,
    demo: false,
    runProjections: false,
    adminEmail: undefined,
    adminPassword: undefined,
  });
  const app = await createApp(config);
  Logger.overrideLogger(['warn', 'error']);
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const ds = app.get(DataSource);
  const lines: string[] = ['| workload | figure | target |', '| --- | --: | --: |'];
  const print = (workload: string, figure: string, target: string) => {
    const line = `| ${workload} | ${figure} | ${target} |`;
    lines.push(line);
    console.log(line);
  };
  console.log(lines.join('\n'));
  try {
    // The bench's own store: the log is written without the api's inline projections (the journal's read model is not measured here).
    const inline = new InlineProjectionRegistry();
    const store = new EventStore(ds, new SystemClock(), new UpcasterRegistry(), inline);
    // A host of its own holding only the organisation projection (not started: the bench drives its runners itself).
    const host = new ProjectionHost(ds, app.get(Database), store, config);
    const projection = new OrganisationProjection(host);
    projection.onModuleInit();
    const rebuilder = new ReadModelRebuilder(ds, store, inline, host, new SystemClock(), config);

    // 100 organisations, each with a leader, through the identity commands.
    const organisations: { id: string; leader: { id: string; email: string } }[] = [];
    for (let o = 0; o < ORGS; o++) {
      const { id } = await app
        .get(CommandBus)
        .execute(new CreateOrganisationCommand(`Bench organisation ${o}`, SYSTEM));
      const email = `leader${o}@bench.example`;
      const leader = await app
        .get(CommandBus)
        .execute(
          new AddMemberCommand(
            { organisationId: id, email, password: `bench leader password ${o}`, role: 'leader', teamId: null },
            SYSTEM,
          ),
        );
      organisations.push({ id, leader: { id: leader.id, email } });
    }
    const ids = organisations.map((o) => o.id);

    let t0 = performance.now();
    for (let from = 0; from < options.reflections; from += 100_000)
      await ds.query(GENERATE, [from, Math.min(options.reflections, from + 100_000), ids]);
    await ds.query('ANALYZE events');
    print(
      `log of ${fmt(options.reflections)} reflections generated in SQL`,
      `${fmt((performance.now() - t0) / 1000, 1)} s`,
      '—',
    );

    const rebuilt = await rebuilder.rebuild(projection, 'async');
    print('full rebuild of the organisation model (events/s)', fmt(rebuilt.events / rebuilt.seconds), '≥ 20 000');

    const YEAR = { granularity: 'month', from: '2025-01-01', to: '2025-12-31' };
    const shown = (periods: { suppressed: boolean }[]) => periods.filter((p) => !p.suppressed).length;
    const report = (how: string, latencies: number[], periods: number) => {
      latencies.sort((a, b) => a - b);
      print(
        `a year of monthly trends for one organisation, ${how}, p50 / p95 ms ` +
          `(${latencies.length} requests, ${fmt(periods / latencies.length, 1)} months shown of 13)`,
        `${fmt(percentile(latencies, 50), 1)} / ${fmt(percentile(latencies, 95), 1)}`,
        'p95 ≤ 50',
      );
    };

    // A process that has served a few requests: the query plan and the JIT are warm, nothing is cached for the quarters measured.
    for (const id of ids.slice(0, 10))
      await new OrganisationTrends(ds, config, new SystemClock(), app.get(EventStore)).trends(id, {
        ...YEAR,
        from: '2023-01-01',
        to: '2023-12-31',
      });

    // In the service — cold: every organisation's quarters solved and published; warm: the same asked again (read from what was published).
    const service = new OrganisationTrends(ds, config, new SystemClock(), app.get(EventStore));
    for (const phase of ['cold', 'warm'] as const) {
      const latencies: number[] = [];
      let periods = 0;
      for (let round = 0; round < (phase === 'cold' ? 1 : 3); round++) {
        for (const id of ids) {
          const asked =
            phase === 'cold' ? new OrganisationTrends(ds, config, new SystemClock(), app.get(EventStore)) : service;
          t0 = performance.now();
          const answer = await asked.trends(id, YEAR);
          latencies.push(performance.now() - t0);
          periods += shown(answer.periods);
          if (phase === 'cold') await service.trends(id, YEAR);
        }
      }
      report(`in the service, ${phase}`, latencies, periods);
    }

    // Over HTTP, as each organisation's leader, for another year: nobody has asked for these quarters, so each first request
    // is cold (it computes and publishes them); warm requests read what was published.
    const tokens = new Map<string, string>();
    for (const { id, leader } of organisations) {
      tokens.set(
        id,
        (
          await app
            .get(TokenService)
            .issue({ id: leader.id, email: leader.email, role: 'leader', organisationId: id, teamId: null })
        ).accessToken,
      );
    }
    const query = new URLSearchParams({ ...YEAR, from: '2024-01-01', to: '2024-12-31' }).toString();
    for (const phase of ['cold', 'warm'] as const) {
      const latencies: number[] = [];
      let periods = 0;
      for (let round = 0; round < (phase === 'cold' ? 1 : 3); round++) {
        for (const id of ids) {
          t0 = performance.now();
          const res = await fetch(`${url}/api/organisations/${id}/trends?${query}`, {
            headers: { authorization: `Bearer ${tokens.get(id)}` },
          });
          const answer = (await res.json()) as { periods: { suppressed: boolean }[] };
          latencies.push(performance.now() - t0);
          if (res.status !== 200) throw new Error(`trends over HTTP answered ${res.status}: ${JSON.stringify(answer)}`);
          periods += shown(answer.periods);
        }
      }
      report(`over HTTP as its leader, ${phase}`, latencies, periods);
    }

    print(
      'projection lag under 200 appends/s, p50 / p99 ms',
      await lagUnderLoad(ds, store, projection, options.lagSeconds),
      'p99 < 1 000',
    );
  } finally {
    if (config.databaseSchema)
      await ds.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`).catch(() => undefined);
    await app.close();
  }
  return lines;
}

/** 200 appends a second for `seconds`, each timed until the running projection's checkpoint passes it. */
async function lagUnderLoad(
  ds: DataSource,
  store: EventStore,
  projection: OrganisationProjection,
  seconds: number,
): Promise<string> {
  const probe = await LagProbe.start(ds, store, projection, { rate: 200, idGroup: 8000 });
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const { lagP50, lagP99, achieved } = await probe.stop();
  return `${fmt(lagP50, 0)} / ${fmt(lagP99, 0)} (${fmt(achieved)} appends/s achieved)`;
}
