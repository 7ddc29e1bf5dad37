import { DataSource } from 'typeorm';
import { EventStore, LIVE_TABLES, project, START } from '@praxis/event-store';
import { IndividualProjection } from '@praxis/journal';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, login, PASSWORD, World } from './support/identity';

const valid = {
  occurredOn: '2026-03-02',
  whatHappened: 'Ran a tenants’ forum with two residents. <script>alert(1)</script>',
  soWhat: 'They set the agenda.',
  ladderRung: 'co_design',
  aspiredRung: 'co_production',
  resourcePressure: 'stretched',
  pressureSources: ['time'],
  challenges: ['time', 'colleague_buy_in'],
  principles: ['mutuality'],
  stage: 'co_design',
  embedding: 'recurring',
  advocacy: { argument: 'ethical', reception: 'receptive' },
  livedExperienceInvolved: true,
  tags: ['forum'],
};

describe('the journal over HTTP: a worker records, reads, amends and withdraws their own reflections', () => {
  let running: RunningApp;
  let world: World;
  let ds: DataSource;
  const api = (method: string, path: string, token: string, body?: unknown, headers?: Record<string, string>) =>
    call(running.baseUrl, method, path, { token, body, headers });
  const count = async () =>
    (await ds.query(`SELECT count(*)::int AS n FROM events WHERE type LIKE 'Reflection%'`))[0].n as number;

  beforeAll(async () => {
    running = await startApp('journal');
    world = await buildWorld(running.app, running.baseUrl, 'journal');
    ds = running.app.get(DataSource);
  });
  afterAll(() => running?.close());

  it('records a reflection (201 {id, version}) and reads it back with ordinals and the text as written', async () => {
    const res = await api('POST', '/api/reflections', world.workerA.token, valid);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ id: expect.any(String), version: 1 });
    const got = await api('GET', `/api/reflections/${res.body.id}`, world.workerA.token);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      ...valid,
      id: res.body.id,
      version: 1,
      ladderOrdinal: 6,
      aspiredOrdinal: 7,
      pressureOrdinal: 2,
      nowWhat: null,
      recordedAt: expect.any(String),
    });
    expect(got.body.amendedAt).toBeUndefined();
  });

  it('stores nothing new when the same Idempotency-Key comes again, and answers the same', async () => {
    const before = await count();
    const headers = { 'idempotency-key': 'form-123' };
    const first = await api('POST', '/api/reflections', world.workerA.token, valid, headers);
    const again = await api('POST', '/api/reflections', world.workerA.token, valid, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await count()).toBe(before + 1);
    const reused = await api(
      'POST',
      '/api/reflections',
      world.workerA.token,
      { ...valid, ladderRung: 'informing' },
      headers,
    );
    expect(reused.status).toBe(409);
    expect(await count()).toBe(before + 1);
  });

  it.each([
    ['a future date', { occurredOn: '2999-01-01' }, /occurredOn must not be in the future/],
    ['a date before 2000', { occurredOn: '1999-12-31' }, /occurredOn must not be before 2000-01-01/],
    ['not a date', { occurredOn: '2026-02-30' }, /occurredOn must be a date written YYYY-MM-DD/],
    ['an unknown code', { ladderRung: 'partnership' }, /ladderRung must be one of/],
    ['a duplicate in a set', { challenges: ['time', 'time'] }, /challenges must not list the same code twice/],
    ['an unknown code in a set', { principles: ['assets', 'vibes'] }, /each of principles must be one of/],
    ['10 001 characters', { soWhat: 'x'.repeat(10_001) }, /soWhat must be at most 10000 characters/],
    ['an empty whatHappened', { whatHappened: '   ' }, /whatHappened must not be empty/],
    ['a wrong type', { livedExperienceInvolved: 'yes' }, /livedExperienceInvolved must be true or false/],
    ['an unknown field', { mood: 'good' }, /property mood should not exist/],
    ['a nested unknown code', { advocacy: { argument: 'money' } }, /argument must be one of/],
    ['eleven tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }, /tags must have at most 10 entries/],
    ['a 41-character tag', { tags: ['x'.repeat(41)] }, /each tag must be at most 40 characters/],
  ])('refuses %s with 400, one message for the field, and stores nothing', async (_, change, pattern) => {
    const before = await count();
    const res = await api('POST', '/api/reflections', world.workerA.token, { ...valid, ...change });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(res.body.message).toHaveLength(1);
    expect(res.body.message[0]).toMatch(pattern);
    expect(await count()).toBe(before);
  });

  it('names every offending field at once, one message each', async () => {
    const res = await api('POST', '/api/reflections', world.workerA.token, { whatHappened: 'x', ladderRung: 'nope' });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^occurredOn/),
        expect.stringMatching(/^ladderRung/),
        expect.stringMatching(/^resourcePressure/),
      ]),
    );
    expect(res.body.message).toHaveLength(3);
  });

  it('lists newest occurredOn first with a cursor that walks every page exactly once', async () => {
    const dates = ['2025-01-05', '2025-06-01', '2024-12-31', '2025-06-01', '2026-01-01'];
    for (const occurredOn of dates)
      expect((await api('POST', '/api/reflections', world.workerB.token, { ...valid, occurredOn })).status).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await api('GET', `/api/reflections?limit=2${cursor ? `&cursor=${cursor}` : ''}`, world.workerB.token);
      expect(res.status).toBe(200);
      seen.push(...res.body.items.map((i: { occurredOn: string }) => i.occurredOn));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...dates].sort().reverse());
    expect((await api('GET', '/api/reflections?limit=0', world.workerB.token)).status).toBe(400);
    expect((await api('GET', '/api/reflections?cursor=bogus', world.workerB.token)).status).toBe(400);
  });

  it('answers 404 for another worker’s reflection, everywhere, exactly as for one that does not exist', async () => {
    const mine = (await api('POST', '/api/reflections', world.workerA.token, valid)).body.id;
    for (const id of [mine, '00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      expect((await api('GET', `/api/reflections/${id}`, world.workerB.token)).status).toBe(404);
      expect((await api('GET', `/api/reflections/${id}/history`, world.workerB.token)).status).toBe(404);
      expect(
        (await api('PATCH', `/api/reflections/${id}`, world.workerB.token, { soWhat: 'mine now' }, { 'if-match': '1' }))
          .status,
      ).toBe(404);
      expect((await api('DELETE', `/api/reflections/${id}`, world.workerB.token)).status).toBe(404);
    }
    expect((await api('GET', `/api/reflections/${mine}`, world.workerA.token)).body.soWhat).toBe(valid.soWhat);
  });

  it('amends with If-Match: 200 with the new version, 409 when stale, 428 without, and keeps the history', async () => {
    const { id } = (await api('POST', '/api/reflections', world.workerA.token, valid)).body;
    expect(
      (await api('PATCH', `/api/reflections/${id}`, world.workerA.token, { ladderRung: 'co_production' })).status,
    ).toBe(428);
    const amended = await api(
      'PATCH',
      `/api/reflections/${id}`,
      world.workerA.token,
      { ladderRung: 'co_production', nowWhat: 'Keep going' },
      { 'if-match': '1' },
    );
    expect(amended.status).toBe(200);
    expect(amended.body).toEqual({ id, version: 2 });
    const stale = await api(
      'PATCH',
      `/api/reflections/${id}`,
      world.workerA.token,
      { ladderRung: 'informing' },
      { 'if-match': '1' },
    );
    expect(stale.status).toBe(409);
    expect(stale.body.message).toMatch(/version 2/);
    expect(
      (await api('PATCH', `/api/reflections/${id}`, world.workerA.token, { ladderRung: null }, { 'if-match': '2' }))
        .status,
    ).toBe(400);
    const now = (await api('GET', `/api/reflections/${id}`, world.workerA.token)).body;
    expect(now).toMatchObject({
      version: 2,
      ladderRung: 'co_production',
      ladderOrdinal: 7,
      nowWhat: 'Keep going',
      soWhat: valid.soWhat,
      amendedAt: expect.any(String),
    });
    const history = (await api('GET', `/api/reflections/${id}/history`, world.workerA.token)).body;
    expect(history.map((h: { type: string; version: number }) => [h.type, h.version])).toEqual([
      ['ReflectionRecorded', 1],
      ['ReflectionAmended', 2],
    ]);
    expect(history[0].data.whatHappened).toBe(valid.whatHappened);
    expect(history[1].data).toMatchObject({ fields: { ladderRung: 'co_production' }, nowWhat: 'Keep going' });
  });

  it('withdraws (204): gone from reads; amending it afterwards is 409', async () => {
    const { id } = (await api('POST', '/api/reflections', world.workerA.token, valid)).body;
    expect((await api('DELETE', `/api/reflections/${id}`, world.workerA.token)).status).toBe(204);
    expect((await api('GET', `/api/reflections/${id}`, world.workerA.token)).status).toBe(404);
    const list = (await api('GET', '/api/reflections?limit=100', world.workerA.token)).body.items.map(
      (i: { id: string }) => i.id,
    );
    expect(list).not.toContain(id);
    const rows = await ds.query(`SELECT 1 FROM journal_reflections WHERE reflection_id = $1`, [id]);
    expect(rows).toHaveLength(0);
    expect(
      (await api('PATCH', `/api/reflections/${id}`, world.workerA.token, { soWhat: 'again' }, { 'if-match': '2' }))
        .status,
    ).toBe(409);
  });

  it('is only for workers: leaders, researchers and admins get 403, no token 401', async () => {
    for (const who of [world.leaderA, world.researcher, world.admin]) {
      expect((await api('POST', '/api/reflections', who.token, valid)).status).toBe(403);
      expect((await api('GET', '/api/me/trends', who.token)).status).toBe(403);
    }
    expect((await call(running.baseUrl, 'GET', '/api/reflections')).status).toBe(401);
  });

  it('shows the worker their own monthly trend', async () => {
    const res = await api('GET', '/api/me/trends?granularity=month', world.workerB.token);
    expect(res.status).toBe(200);
    // Sunday 1 June 2025 is in the week of Thursday 29 May: the month is May (ISO weeks, as for leaders).
    const jan = res.body.periods.find((p: { period: string }) => p.period === '2025-05');
    expect(jan).toMatchObject({
      reflections: 2,
      meanPressure: 2,
      meanRung: 6,
      meanGap: 1,
      challenges: { time: 2, colleague_buy_in: 2, skills: 0 },
    });
    expect(jan.rungByPressure.find((r: { pressure: string }) => r.pressure === 'stretched')).toMatchObject({
      pressure: 'stretched',
      pressureOrdinal: 2,
      count: 2,
      meanRung: 6,
    });
    expect((await api('GET', '/api/me/trends?granularity=fortnight', world.workerB.token)).status).toBe(400);
  });

  it("counts a Monday in the month of its week's Thursday, as the leader's trends do, with embedding and advocacy", async () => {
    // Monday 31 March 2025: its week's Thursday is 3 April, so it belongs to April (and to Q2).
    const monday = {
      ...valid,
      occurredOn: '2025-03-31',
      embedding: 'team_norm',
      advocacy: { argument: 'less_risk', reception: 'resistant' },
      livedExperienceInvolved: false,
    };
    expect((await api('POST', '/api/reflections', world.workerB.token, monday)).status).toBe(201);
    const months = (await api('GET', '/api/me/trends?granularity=month', world.workerB.token)).body.periods as {
      period: string;
      starts: string;
      ends: string;
    }[];
    expect(months.map((p) => p.period)).not.toContain('2025-03');
    const april = months.find((p) => p.period === '2025-04')!;
    expect(april).toMatchObject({
      starts: '2025-03-31',
      ends: '2025-04-27',
      reflections: 1,
      livedExperience: { involved: 0, share: 0 },
    });
    expect(april).toMatchObject({
      embedding: { one_off: 0, recurring: 0, team_norm: 1, organisational_policy: 0, not_said: 0 },
    });
    expect(april).toMatchObject({
      advocacy: { less_risk: { receptive: 0, neutral: 0, resistant: 1, not_said: 0 }, ethical: { receptive: 0 } },
    });
    const stretched = (
      april as unknown as { rungByPressure: { pressure: string; embedding: object }[] }
    ).rungByPressure.find((c) => c.pressure === 'stretched')!;
    expect(stretched.embedding).toMatchObject({ team_norm: 1 });
    const quarters = (await api('GET', '/api/me/trends?granularity=quarter', world.workerB.token)).body.periods as {
      period: string;
      reflections: number;
    }[];
    // Tuesday 31 December 2024 is in the week of Thursday 2 January 2025: it counts in 2025-Q1, and 2024-Q4 has nothing.
    expect(quarters.map((p) => p.period)).not.toContain('2024-Q4');
    expect(quarters.find((p) => p.period === '2025-Q1')!.reflections).toBe(2);
    expect(quarters.find((p) => p.period === '2025-Q2')!.reflections).toBe(3);
  });

  it('gives and withdraws research consent with the time it changed', async () => {
    const given = await api('PUT', '/api/me/research-consent', world.workerA.token, { granted: true });
    expect(given.status).toBe(200);
    expect(given.body).toEqual({ granted: true, since: expect.any(String) });
    expect((await api('PUT', '/api/me/research-consent', world.workerA.token, { granted: 'yes' })).status).toBe(400);
    const withdrawn = await api('PUT', '/api/me/research-consent', world.workerA.token, { granted: false });
    expect(withdrawn.body.granted).toBe(false);
  });

  it('rebuilds the individual read model from the log identically', async () => {
    const projection = running.app.get(IndividualProjection);
    const store = running.app.get(EventStore);
    const snapshot = () => ds.query(`SELECT * FROM journal_reflections ORDER BY reflection_id`);
    const live = await snapshot();
    await ds.query(`CREATE TABLE rebuilt_journal_reflections (LIKE journal_reflections INCLUDING ALL)`);
    const t = (table: string) => (table === 'journal_reflections' ? 'rebuilt_journal_reflections' : LIVE_TABLES(table));
    for await (const page of store.readAllCommitted(START, 500)) {
      await ds.transaction((tx) => project(projection, page, tx, t));
    }
    const rebuilt = await ds.query(`SELECT * FROM rebuilt_journal_reflections ORDER BY reflection_id`);
    expect(live.length).toBeGreaterThan(5);
    expect(rebuilt).toEqual(live);
  });

  it('exports all of a worker’s own data, withdrawn reflections included', async () => {
    const res = await api('GET', '/api/me/export', world.workerA.token);
    expect(res.status).toBe(200);
    expect(res.body.account).toMatchObject({ id: world.workerA.id, email: world.workerA.email });
    expect(res.body.reflections.some((r: { status: string }) => r.status === 'withdrawn')).toBe(true);
    expect(JSON.stringify(res.body)).toContain('They set the agenda.');
    expect(JSON.stringify(res.body)).not.toContain(world.workerB.id);
  });

  it('erases: afterwards no readable trace of the worker’s texts in the database, the API or the read models', async () => {
    const secret = 'A very particular sentence about Mrs Example at the Tuesday group';
    const { id } = (
      await api('POST', '/api/reflections', world.workerB.token, {
        ...valid,
        whatHappened: secret,
        tags: ['tuesday-group'],
      })
    ).body;
    const dump = async () => {
      const tables: { table_name: string }[] = await ds.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
      );
      let all = '';
      for (const { table_name } of tables) all += JSON.stringify(await ds.query(`SELECT * FROM ${table_name}`));
      return all;
    };
    expect(await dump()).not.toContain('Mrs Example'); // sealed even before erasure
    expect(await dump()).toContain(world.workerB.email);
    const erase = await api('POST', '/api/me/erase', world.workerB.token);
    expect(erase.status).toBe(202);
    const after = await dump();
    expect(after).not.toContain('Mrs Example');
    expect(after).not.toContain('tuesday-group');
    expect(after).not.toContain(world.workerB.email);
    expect(await ds.query(`SELECT 1 FROM journal_reflections WHERE author_id = $1`, [world.workerB.id])).toEqual([]);
    const [key] = await ds.query(`SELECT wrapped_key, destroyed_at FROM subject_keys WHERE subject_id = $1`, [
      world.workerB.id,
    ]);
    expect(key).toMatchObject({ wrapped_key: null, destroyed_at: expect.any(Date) });
    // Their token and password no longer work; their reflections are gone from the API for anyone.
    expect((await api('GET', `/api/reflections/${id}`, world.workerB.token)).status).toBe(401);
    await expect(login(running.baseUrl, world.workerB.email, PASSWORD)).rejects.toThrow();
    // The log itself is untouched (immutable): only ciphertext no key opens remains.
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM events WHERE stream_id = $1`, [`reflection-${id}`]);
    expect(n).toBe(1);
  });
});
