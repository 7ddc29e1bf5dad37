import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { onServer } from '@praxis/testing';
import { EventStore, ProjectionHost } from '@praxis/event-store';
import { ReadModelRebuilder } from '@praxis/projections';
import { amend, codedFields, erase, record, withdraw } from '../libs/projections/src/testing/journal-events';
import { breaches } from '../libs/projections/src/testing/attacker';
import { Contribution } from '../libs/projections/src/domain/quarter-cube';
import { dayNumber } from '@praxis/common';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, World } from './support/identity';

/** The leaders' trends over HTTP: access, bad input, suppression against a leader who tries, updates and rebuild. */
describe('GET /api/organisations/:orgId/trends (e2e)', () => {
  let running: RunningApp;
  let base: string;
  let w: World;
  let store: EventStore;
  const trends = (query: string, token = w.leaderA.token, org = w.orgA) =>
    call(base, 'GET', `/api/organisations/${org}/trends${query}`, { token });
  const catchUp = () => running.app.get(ProjectionHost).catchUpAll();
  /** Seven people in team A1 and one, alone, in team A2, all in ISO week 2025-W10 (3–9 March 2025). */
  const a1 = Array.from({ length: 7 }, () => randomUUID());
  const loner = randomUUID();
  let lonerReflection: string;

  beforeAll(async () => {
    running = await startApp('org_trends');
    base = running.baseUrl;
    w = await buildWorld(running.app, base, 'trends');
    store = running.app.get(EventStore);
    for (const [i, author] of a1.entries()) {
      await record(
        store,
        { authorId: author, organisationId: w.orgA, teamId: w.teamA1 },
        codedFields(`2025-03-0${3 + (i % 5)}`, 1 + (i % 2), 5 + (i % 3), {
          challenges: ['time'],
          aspiredRung: 'co_production',
        }),
      );
    }
    // The person a leader would like to single out: survival pressure, coercion.
    lonerReflection = (
      await record(
        store,
        { authorId: loner, organisationId: w.orgA, teamId: w.teamA2 },
        codedFields('2025-03-05', 4, 1, { challenges: ['power_and_risk'] }),
      )
    ).reflectionId;
    await record(
      store,
      { authorId: w.workerB.id, organisationId: w.orgB, teamId: w.teamB1 },
      codedFields('2025-03-05', 2, 2),
    );
    await catchUp();
  });
  afterAll(() => running.close());

  it('answers the leader of the organisation with whole periods', async () => {
    const res = await trends('?granularity=month&from=2025-03-01&to=2025-03-31');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ k: 5, granularity: 'month', team: null });
    const march = res.body.periods.find((p: { period: string }) => p.period === '2025-03');
    expect(march).toMatchObject({
      suppressed: false,
      reflections: 8,
      authors: 8,
      starts: '2025-03-03',
      ends: '2025-03-30',
    });
    expect(Object.keys(march)).toEqual(
      expect.arrayContaining([
        'meanPressure',
        'meanRung',
        'doingWithShare',
        'meanGap',
        'challenges',
        'principles',
        'pressureByRung',
        'association',
      ]),
    );
    expect(march.pressureByRung).toHaveLength(4);
  });

  it('gives the figures of a period worked by hand: no team, no aspired rung, principles without challenges', async () => {
    const who = () => ({ authorId: randomUUID(), organisationId: w.orgA, teamId: null });
    const argued = (argument: 'ethical' | 'less_risk', reception: 'receptive' | 'resistant' | null) => ({
      advocacy: { argument, reception },
    });
    await record(
      store,
      who(),
      codedFields('2024-06-11', 2, 6, {
        principles: ['assets', 'mutuality'],
        embedding: 'team_norm',
        livedExperienceInvolved: true,
      }),
    );
    await record(
      store,
      who(),
      codedFields('2024-06-11', 2, 4, {
        aspiredRung: 'co_production',
        challenges: ['time', 'skills'],
        ...argued('less_risk', 'resistant'),
      }),
    );
    await record(
      store,
      who(),
      codedFields('2024-06-12', 2, 3, { principles: ['assets'], embedding: 'one_off', livedExperienceInvolved: false }),
    );
    await record(
      store,
      who(),
      codedFields('2024-06-13', 2, 7, {
        embedding: 'team_norm',
        livedExperienceInvolved: true,
        ...argued('ethical', 'receptive'),
      }),
    );
    await record(
      store,
      who(),
      codedFields('2024-06-14', 2, 5, {
        aspiredRung: 'co_design',
        principles: ['facilitating'],
        ...argued('less_risk', null),
      }),
    );
    await catchUp();
    const res = await trends('?granularity=month&from=2024-06-01&to=2024-06-30');
    // 1 June 2024 is a Saturday of a week whose Thursday is in May: the range starts with (an empty, hidden) ISO month 2024-05.
    expect(res.body.periods.map((p: { period: string }) => p.period)).toEqual(['2024-05', '2024-06']);
    const june = res.body.periods[1];
    expect(june).toMatchObject({
      period: '2024-06',
      suppressed: false,
      reflections: 5,
      authors: 5,
      meanPressure: 2,
      meanRung: 5, // (6+4+3+7+5) / 5
      doingWithShare: 0.4, // rungs 6 and 7
      meanGap: 2, // (7−4 + 6−5) / 2: only the two who named a rung they wanted
      challenges: expect.objectContaining({ time: 1, skills: 1, power_and_risk: 0 }),
      principles: { assets: 2, capabilities: 0, mutuality: 1, peer_networks: 0, blurring_roles: 0, facilitating: 1 },
      association: { spearman: null, slope: null, n: 5 }, // pressure does not vary
      embedding: { one_off: 1, recurring: 0, team_norm: 2, organisational_policy: 0, not_said: 2 },
      advocacy: {
        ethical: { receptive: 1, neutral: 0, resistant: 0, not_said: 0 },
        better_outcomes: { receptive: 0, neutral: 0, resistant: 0, not_said: 0 },
        less_risk: { receptive: 0, neutral: 0, resistant: 1, not_said: 1 },
        other: { receptive: 0, neutral: 0, resistant: 0, not_said: 0 },
      },
      livedExperience: { involved: 2, share: 0.4 },
    });
    // The shown level carries the same figures; a hidden level carries none.
    expect(june.pressureByRung[1]).toMatchObject({
      embedding: june.embedding,
      advocacy: june.advocacy,
      livedExperience: june.livedExperience,
    });
    expect(Object.keys(june.pressureByRung[0]).sort()).toEqual(['ordinal', 'pressure', 'suppressed']);
    expect(
      june.pressureByRung.map((c: { suppressed: boolean; count?: number; meanRung?: number }) => [
        c.suppressed,
        c.count,
        c.meanRung,
      ]),
    ).toEqual([
      [true, undefined, undefined],
      [false, 5, 5],
      [true, undefined, undefined],
      [true, undefined, undefined],
    ]);
  });

  it('gives a worker, a researcher, an admin, and another organisation’s leader 404; nobody signed in 401', async () => {
    for (const token of [w.workerA.token, w.researcher.token, w.admin.token, w.leaderB.token])
      expect((await trends('', token)).status).toBe(404);
    expect((await call(base, 'GET', `/api/organisations/${w.orgA}/trends`)).status).toBe(401);
    expect((await trends('', w.leaderA.token, w.orgB)).status).toBe(404);
    expect((await trends('', w.leaderA.token, randomUUID())).status).toBe(404);
  });

  it.each([
    ['?granularity=day', 400, /granularity must be one of week, month, quarter/],
    ['?from=2025-05-01&to=2025-04-01', 400, /must not be after/],
    ['?from=2010-01-01&to=2025-01-01', 400, /longer than 10 years/],
    ['?from=2025-02-30', 400, /from must be a date/],
    ['?to=tomorrow', 400, /to must be a date/],
    ['?team=not-a-team', 400, /team must be a team's id/],
  ])('refuses %s with %i and a clear message', async (query, status, message) => {
    const res = await trends(query);
    expect(res.status).toBe(status);
    expect(String(res.body.message)).toMatch(message);
  });

  it('answers 404 for a team of another organisation or no team at all', async () => {
    for (const team of [w.teamB1, randomUUID()]) {
      const res = await trends(`?team=${team}`);
      expect(res.status).toBe(404);
      expect(res.body.message).toMatch(/no such team in this organisation/);
    }
  });

  it('never tells the leader the lone person’s answer, whatever they combine', async () => {
    const seen: { team: string; period: string; cell: any }[] = [];
    const ranges = [
      ['2025-03-05', '2025-03-05'], // narrowed to the day of the reflection
      ['2025-03-03', '2025-03-09'],
      ['2025-03-04', '2025-03-06'],
      ['2025-02-24', '2025-03-16'],
      ['2025-01-01', '2025-12-31'],
    ];
    for (const team of ['', w.teamA1, w.teamA2]) {
      for (const granularity of ['week', 'month', 'quarter']) {
        for (const [from, to] of ranges) {
          const res = await trends(`?granularity=${granularity}&from=${from}&to=${to}&team=${team}`);
          expect(res.status).toBe(200);
          for (const cell of res.body.periods) {
            if (!cell.suppressed) seen.push({ team: team || 'total', period: cell.period, cell });
            if (cell.suppressed) expect(Object.keys(cell).sort()).toEqual(['ends', 'period', 'starts', 'suppressed']);
          }
        }
      }
    }
    // Every shown figure comes from at least k people, and no team's figure is
    // shown at all (A2 has one person; A1 would be the total minus A2).
    expect(seen.length).toBeGreaterThan(0);
    for (const { cell } of seen) expect(cell.authors).toBeGreaterThanOrEqual(5);
    expect(seen.filter((s) => s.team !== 'total' && s.cell.reflections > 0)).toEqual([]);
    // Narrowing the range to one day still answers for the whole week: the same figures.
    const day = await trends('?granularity=week&from=2025-03-05&to=2025-03-05');
    const week = await trends('?granularity=week&from=2025-03-03&to=2025-03-09');
    expect(day.body.periods).toEqual(week.body.periods);
    // The survival level (the lone person's) is hidden inside every shown cell, and so is one more level.
    for (const { cell } of seen) {
      expect(cell.pressureByRung.find((c: { ordinal: number }) => c.ordinal === 4).suppressed).toBe(true);
      expect(
        cell.pressureByRung.filter((c: { suppressed: boolean; count?: number }) => c.suppressed || c.count === 0)
          .length,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it('does not let the mean pressure and the slope give away the one person at survival among twelve (solving every answer exactly)', async () => {
    // March 2023 (ISO weeks W09–W13), no team: four people at "resourced", eight at "stretched", and one person with a single
    // "survival" reflection at rung 7. Levels 1 and 4 are hidden; the mean pressure would give 1·n₁ + 4·n₄ (and n₁ + n₄ is
    // the total minus the shown level), and the slope Σ pressure × rung, so the survival cell's count and rung.
    const rows: Contribution[] = [];
    const write = async (pressure: number, rung: number, day: string) => {
      const author = randomUUID();
      await record(store, { authorId: author, organisationId: w.orgA, teamId: null }, codedFields(day, pressure, rung));
      rows.push({
        author,
        team: null,
        day: dayNumber(day),
        pressure,
        rung,
        aspired: null,
        challenges: [],
        principles: [],
      });
    };
    for (let i = 0; i < 12; i++) await write(i < 4 ? 1 : 2, 2 + (i % 4), `2023-03-${String(6 + i).padStart(2, '0')}`);
    await write(4, 7, '2023-03-15');
    await catchUp();
    const answers: Record<string, any[]> = {};
    for (const granularity of ['week', 'month', 'quarter']) {
      const res = await trends(`?granularity=${granularity}&from=2023-01-02&to=2023-04-02`);
      expect(res.status).toBe(200);
      answers[granularity] = res.body.periods;
    }
    const march = answers.month.find((p) => p.period === '2023-03');
    expect(march).toMatchObject({ suppressed: false, reflections: 13 });
    expect(march.pressureByRung.map((c: { suppressed: boolean }) => c.suppressed)).toEqual([true, false, true, true]);
    // What the leader would compute: Σ pressure = round(mean × n), minus the shown level's 2 × 8, is 1·n₁ + 4·n₄.
    expect({
      meanPressure: march.meanPressure,
      slope: march.association.slope,
      spearman: march.association.spearman,
    }).toEqual({ meanPressure: null, slope: null, spearman: null });
    expect(march.withheld).toEqual(['meanPressure', 'association']);
    // And the whole system of every answer, solved exactly, pins no cell of fewer than five people.
    expect(breaches(rows, (granularity) => answers[granularity], 5)).toEqual([]);
  });

  it('never changes a period once shown: a late entry, an amendment, a withdrawal and an erasure leave every view byte-identical', async () => {
    // Every view: the organisation and each team, by week, month and quarter, over the first half of 2025.
    const views = async () => {
      const shown = new Map<string, string>();
      for (const team of ['', w.teamA1, w.teamA2]) {
        for (const granularity of ['week', 'month', 'quarter']) {
          const res = await trends(`?granularity=${granularity}&from=2025-01-01&to=2025-06-29&team=${team}`);
          expect(res.status).toBe(200);
          for (const p of res.body.periods)
            if (!p.suppressed) shown.set(`${team || 'total'} ${p.period}`, JSON.stringify(p));
        }
      }
      return shown;
    };
    const before = await views();
    expect([...before.keys()]).toEqual(expect.arrayContaining(['total 2025-03', 'total 2025-W10', 'total 2025-Q1']));
    // A late entry in March, the lone person's reflection moved to April, then withdrawn, and one of team A1 erased.
    await record(
      store,
      { authorId: randomUUID(), organisationId: w.orgA, teamId: w.teamA1 },
      codedFields('2025-03-06', 3, 6),
    );
    await amend(store, lonerReflection, loner, { occurredOn: '2025-04-09' });
    await catchUp();
    const moved = await views();
    await withdraw(store, lonerReflection, loner);
    await erase(store, a1[0]);
    await catchUp();
    const after = await views();
    for (const [view, text] of before) {
      expect({ view, text: moved.get(view) }).toEqual({ view, text });
      expect({ view, text: after.get(view) }).toEqual({ view, text });
    }
    // The rest of the model did change: the contributions hold the late entry and forget the erased person.
    const rows: { n: number }[] = await running.app
      .get(DataSource)
      .query(`SELECT count(*)::int AS n FROM org_contributions WHERE author_id = $1`, [a1[0]]);
    expect(rows[0].n).toBe(0);
  });

  it('counts only active accounts: a reflection whose author is an account that is not active counts for nothing', async () => {
    // An invited worker who has not accepted (not active) — say an account an import wrote for — and five active writers, in June 2022.
    const invited = await call(base, 'POST', `/api/organisations/${w.orgA}/members`, {
      token: w.admin.token,
      body: { email: `invited-${randomUUID()}@example.org`, role: 'worker' },
    });
    expect(invited.body).toMatchObject({ status: 'invited' });
    for (let i = 0; i < 5; i++)
      await record(
        store,
        { authorId: randomUUID(), organisationId: w.orgA, teamId: null },
        codedFields('2022-06-08', 2, 5),
      );
    await record(
      store,
      { authorId: invited.body.id, organisationId: w.orgA, teamId: null },
      codedFields('2022-06-08', 4, 1),
    );
    await catchUp();
    const res = await trends('?granularity=month&from=2022-06-01&to=2022-06-30');
    expect(res.body.periods.find((p: { period: string }) => p.period === '2022-06')).toMatchObject({
      suppressed: false,
      reflections: 5,
      authors: 5,
      meanPressure: 2,
    });
  });

  it('never shows an open period: the current quarter has no figures, only the day it will appear', async () => {
    const today = new Date();
    const day = (offset: number) => new Date(today.getTime() - offset * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 6; i++)
      await record(
        store,
        { authorId: randomUUID(), organisationId: w.orgA, teamId: w.teamA1 },
        codedFields(day(1 + (i % 3)), 2, 5),
      );
    await catchUp();
    for (const granularity of ['week', 'month', 'quarter']) {
      const res = await trends(`?granularity=${granularity}&from=${day(10)}&to=${day(0)}`);
      expect(res.status).toBe(200);
      const current = res.body.periods.filter((p: { ends: string }) => p.ends >= day(1));
      expect(current.length).toBeGreaterThan(0);
      for (const p of current) {
        expect(Object.keys(p).sort()).toEqual(['appearsOn', 'ends', 'open', 'period', 'starts', 'suppressed']);
        expect(p).toMatchObject({ suppressed: true, open: true });
        expect(p.appearsOn > day(0)).toBe(true);
      }
    }
  });

  it('rebuilds every read model for an admin (202) and answers the same afterwards; others may not', async () => {
    const before = await trends('?granularity=week&from=2025-01-01&to=2025-06-30');
    expect((await call(base, 'POST', '/api/admin/projections/rebuild', { token: w.leaderA.token })).status).toBe(403);
    const res = await call(base, 'POST', '/api/admin/projections/rebuild', { token: w.admin.token });
    expect(res.status).toBe(202);
    expect(res.body.projections).toEqual(
      expect.arrayContaining(['organisation-trends', 'journal-individual', 'identity']),
    );
    await running.app.get(ReadModelRebuilder).done();
    const status = await call(base, 'GET', '/api/admin/projections/rebuild', { token: w.admin.token });
    expect(status.body).toMatchObject({ running: false, error: null });
    expect((await trends('?granularity=week&from=2025-01-01&to=2025-06-30')).body).toEqual(before.body);
  });

  // Another process is another session: PGlite has one.
  (onServer() ? it : it.skip)(
    'answers 409 while another process (say `praxis rebuild`) is rebuilding, and starts nothing',
    async () => {
      const other = running.app.get(DataSource).createQueryRunner();
      try {
        await other.query(
          `SELECT pg_advisory_lock(hashtextextended('praxis.read-model-rebuild:' || current_schema(), 0))`,
        );
        const res = await call(base, 'POST', '/api/admin/projections/rebuild', { token: w.admin.token });
        expect(res.status).toBe(409);
        expect(res.body.message).toMatch(/already running in another process/);
        expect(
          (await call(base, 'GET', '/api/admin/projections/rebuild', { token: w.admin.token })).body,
        ).toMatchObject({ running: false });
      } finally {
        await other.query(`SELECT pg_advisory_unlock_all()`);
        await other.release();
      }
      expect((await call(base, 'POST', '/api/admin/projections/rebuild', { token: w.admin.token })).status).toBe(202);
      await running.app.get(ReadModelRebuilder).done();
    },
  );
});
