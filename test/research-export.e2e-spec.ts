import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { Database } from '@praxis/common';
import { EventStore } from '@praxis/event-store';
import { RegisterAccountCommand, SYSTEM } from '@praxis/identity';
import { CODEBOOK, CodedFields, personStream, reflectionStream } from '@praxis/journal';
import {
  ExportKeys,
  ExportRecord,
  ExportWorker,
  MAX_EXPORT_CLAIMS,
  Pseudonymiser,
  recordFromCsv,
  researchExportStream,
} from '@praxis/research';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { onServer } from '@praxis/testing';
import { WorkerModule } from '../apps/worker/src/worker.module';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, login, PASSWORD, World } from './support/identity';
import { frictionlessErrors } from './support/frictionless';

/**
 * Exports over real HTTP after a log built by appending events: consent given
 * and withdrawn, amendments, a withdrawal, an erasure, reflections without
 * consent and outside the range. k = 5 (the default).
 */
const K = 5;
const SECRET = (n: number | string) => `pxe1:SECRET-TEXT-${n}-do-not-export`;

interface Author {
  id: string;
  org: string;
  team: string | null;
}

interface Written {
  reflectionId: string;
  author: Author;
  occurredOn: string;
  eligible: boolean;
}

const fields = (occurredOn: string, overrides: Partial<CodedFields> = {}): CodedFields => ({
  occurredOn,
  ladderRung: 'consultation',
  aspiredRung: 'co_production',
  resourcePressure: 'stretched',
  pressureSources: ['time'],
  challenges: ['time', 'colleague_buy_in'],
  principles: ['assets'],
  stage: 'co_design',
  embedding: 'recurring',
  advocacy: { argument: 'better_outcomes', reception: 'receptive' },
  livedExperienceInvolved: true,
  ...overrides,
});

describe('research exports', () => {
  let running: RunningApp;
  let world: World;
  let store: EventStore;
  const written: Written[] = [];
  const secrets: string[] = [];
  let n = 0;

  async function write(
    author: Author,
    occurredOn: string,
    options: {
      consent?: boolean;
      eligible?: boolean;
      fields?: Partial<CodedFields>;
      /** Runs inside the append's transaction, once the event has its log position. */
      inTransaction?: () => Promise<void>;
    } = {},
  ): Promise<string> {
    const reflectionId = randomUUID();
    const consent = options.consent ?? true;
    const text = [SECRET(++n), SECRET(`so-${n}`), SECRET(`now-${n}`), SECRET(`tags-${n}`)];
    secrets.push(...text);
    await store.append(
      reflectionStream(reflectionId),
      'no_stream',
      [
        {
          type: 'ReflectionRecorded',
          data: {
            reflectionId,
            authorId: author.id,
            organisationId: author.org,
            teamId: author.team,
            researchConsent: consent,
            fields: fields(occurredOn, { ladderRung: n % 2 ? 'co_design' : 'informing', ...options.fields }),
            content: { whatHappened: text[0], soWhat: text[1], nowWhat: text[2], tags: text[3] },
          },
          metadata: { actorId: author.id },
        },
      ],
      { inTransaction: options.inTransaction },
    );
    written.push({ reflectionId, author, occurredOn, eligible: consent && (options.eligible ?? true) });
    return reflectionId;
  }

  const person = async (team: string | null, org: string, consent = true): Promise<Author> => {
    const author = { id: randomUUID(), org, team };
    if (consent) {
      await store.append(personStream(author.id), 'any', [
        { type: 'ResearchConsentGiven', data: { personId: author.id, since: '2025-01-01T09:00:00.000Z' } },
      ]);
    }
    return author;
  };

  beforeAll(async () => {
    // Exports stay queued until the test builds them (drain), as another process would: every status is seen.
    running = await startApp('research_export', { PRAXIS_RUN_PROJECTIONS: 'off' });
    world = await buildWorld(running.app, running.baseUrl, 'rx');
    store = running.app.get(EventStore);

    // Team A1, week 2025-W10: eight people → released by week.
    const a1 = [];
    for (let i = 0; i < 8; i++) a1.push(await person(world.teamA1, world.orgA));
    for (const author of a1) await write(author, '2025-03-05');
    // An amendment moves one to another day of the same week and changes its codes.
    const amended = written[0].reflectionId;
    await store.append(reflectionStream(amended), 1, [
      {
        type: 'ReflectionAmended',
        data: {
          reflectionId: amended,
          authorId: a1[0].id,
          fields: { occurredOn: '2025-03-06', resourcePressure: 'survival' },
          content: { soWhat: SECRET('amended') },
        },
      },
    ]);
    secrets.push(SECRET('amended'));
    // Written without consent (before giving it): never exported.
    await write(a1[1], '2025-03-05', { consent: false });
    // Withdrawn by its author.
    const withdrawn = await write(a1[2], '2025-03-05', { eligible: false });
    await store.append(reflectionStream(withdrawn), 1, [
      { type: 'ReflectionWithdrawn', data: { reflectionId: withdrawn, authorId: a1[2].id } },
    ]);
    // Outside the range.
    await write(a1[3], '2023-06-01', { eligible: false });
    // An erased person, and a person who withdrew consent: nothing of theirs.
    const erased = await person(world.teamA1, world.orgA);
    await write(erased, '2025-03-05', { eligible: false });
    await store.append(personStream(erased.id), 'any', [{ type: 'PersonalDataErased', data: { personId: erased.id } }]);
    const withdrew = await person(world.teamA1, world.orgA);
    await write(withdrew, '2025-03-05', { eligible: false });
    await store.append(personStream(withdrew.id), 'any', [
      { type: 'ResearchConsentWithdrawn', data: { personId: withdrew.id, since: '2025-04-01T09:00:00.000Z' } },
    ]);

    // Team A2: six people, two a week over three weeks of April → released by month.
    const a2 = [];
    for (let i = 0; i < 6; i++) a2.push(await person(world.teamA2, world.orgA));
    for (const [i, author] of a2.entries())
      await write(author, ['2025-04-08', '2025-04-15', '2025-04-22'][Math.floor(i / 2)]);
    // Team B1: five people, one or two a month over a quarter → released by quarter.
    const b1 = [];
    for (let i = 0; i < 5; i++) b1.push(await person(world.teamB1, world.orgB));
    for (const [i, author] of b1.entries())
      await write(author, ['2025-07-02', '2025-07-03', '2025-08-12', '2025-09-09', '2025-09-10'][i]);
    // Organisation B without a team: two people → suppressed.
    for (let i = 0; i < 2; i++) await write(await person(null, world.orgB), '2025-10-01');
  });
  afterAll(() => running?.close());

  const api = (method: string, path: string, token = world.researcher.token, body?: unknown) =>
    call(running.baseUrl, method, path, { token, body });
  const download = async (id: string, file: string, token = world.researcher.token) => {
    const res = await fetch(`${running.baseUrl}/api/research/exports/${id}/${file}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return {
      status: res.status,
      type: res.headers.get('content-type'),
      disposition: res.headers.get('content-disposition'),
      cache: res.headers.get('cache-control'),
      bytes: Buffer.from(await res.arrayBuffer()),
    };
  };
  const ndjson = (bytes: Buffer): ExportRecord[] =>
    bytes
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));

  let first: string;
  let second: string;
  let files: { ndjson: Buffer; csv: Buffer; datapackage: Buffer };

  const build = () => running.app.get(ExportWorker).drain();

  it('creates an export and records who asked for what, under which rules', async () => {
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued' });
    first = res.body.id;
    expect(res.headers.get('location')).toBe(`/api/research/exports/${first}`);
    // Queued: its status shows, its files are not there yet.
    const queued = await api('GET', `/api/research/exports/${first}`);
    expect(queued.body).toMatchObject({ id: first, status: 'queued' });
    for (const file of ['events.ndjson', 'events.csv', 'datapackage.json'])
      expect((await download(first, file)).status).toBe(409);
    // Written after the request, in a week and team the export covers: not in it (the horizon).
    const late = await person(world.teamA1, world.orgA);
    const lateId = randomUUID();
    await store.append(reflectionStream(lateId), 'no_stream', [
      {
        type: 'ReflectionRecorded',
        data: {
          reflectionId: lateId,
          authorId: late.id,
          organisationId: late.org,
          teamId: late.team,
          researchConsent: true,
          fields: fields('2025-03-05'),
          content: {
            whatHappened: SECRET('late'),
            soWhat: SECRET('late'),
            nowWhat: SECRET('late'),
            tags: SECRET('late'),
          },
        },
        metadata: { actorId: late.id },
      },
    ]);
    secrets.push(SECRET('late'));
    await build();
    const [event] = await store.readStream(researchExportStream(first));
    expect(event).toMatchObject({
      type: 'ResearchExportCreated',
      schemaVersion: 1,
      data: {
        exportId: first,
        researcherId: world.researcher.id,
        from: '2025-01-01',
        to: '2025-12-31',
        rules: { k: K },
      },
    });
    const got = await api('GET', `/api/research/exports/${first}`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: first,
      from: '2025-01-01',
      to: '2025-12-31',
      createdAt: expect.any(String),
      status: 'ready',
    });
    expect(got.body.progress.done).toBe(got.body.progress.total);
    expect(got.body.progress.total).toBeGreaterThan(0);
    expect(got.body.report).toEqual({
      k: K,
      records: 8 + 6 + 5,
      eligible: 8 + 6 + 5 + 2,
      atWeek: 8,
      generalised: { toMonth: 6, toQuarter: 5, total: 11 },
      suppressed: 2,
    });
    const [nd, csv, dp] = await Promise.all([
      download(first, 'events.ndjson'),
      download(first, 'events.csv'),
      download(first, 'datapackage.json'),
    ]);
    expect([nd.status, csv.status, dp.status]).toEqual([200, 200, 200]);
    expect(nd.type).toContain('application/x-ndjson');
    expect(csv.type).toContain('text/csv');
    // Never kept by a browser or a proxy.
    expect([nd.cache, csv.cache, dp.cache]).toEqual(['no-store', 'no-store', 'no-store']);
    // Named by the export, not only its day: two exports made the same day do not overwrite each other's files.
    expect(nd.disposition).toMatch(
      new RegExp(`^attachment; filename="praxis-export-\\d{4}-\\d{2}-\\d{2}-${first.slice(0, 8)}-events\\.ndjson"$`),
    );
    files = { ndjson: nd.bytes, csv: csv.bytes, datapackage: dp.bytes };
  });

  it('holds only reflections written with consent that stands, not withdrawn, not erased, in range, in their current state', async () => {
    const key = await running.app.get(ExportKeys).load(first, running.app.get(Database).dataSource);
    const pseudonyms = new Pseudonymiser(key!);
    const byPseudonym = new Map(written.map((w) => [pseudonyms.person(w.author.id), w.author.id]));
    const records = ndjson(files.ndjson);
    const expected = written
      .filter((w) => w.eligible && w.author.team !== null)
      .map((w) => w.author.id)
      .sort();
    expect(records.map((r) => byPseudonym.get(r.person)).sort()).toEqual(expected);
    for (const r of records) {
      const w = written.find((x) => pseudonyms.person(x.author.id) === r.person && x.eligible)!;
      expect(r.organisation).toBe(pseudonyms.organisation(w.author.org));
      expect(r.team).toBe(pseudonyms.team(w.author.team!));
    }
    const amended = records.filter((r) => r.amended);
    expect(amended).toHaveLength(1);
    expect(amended[0]).toMatchObject({
      resourcePressure: 'survival',
      resourcePressureOrdinal: 4,
      period: '2025-W10',
      periodGranularity: 'week',
    });
    expect(records.find((r) => !r.amended)).toMatchObject({
      eventType: 'ReflectionRecorded',
      schemaVersion: 1,
      resourcePressureOrdinal: 2,
    });
    expect(new Set(records.map((r) => `${r.period}/${r.periodGranularity}`))).toEqual(
      new Set(['2025-W10/week', '2025-04/month', '2025-Q3/quarter']),
    );
  });

  it('never lets a free text, an email, a store id or a date into any file', async () => {
    const needles = [
      ...secrets,
      ...secrets.map((s) => s.replace('pxe1:', '')),
      ...written.flatMap((w) => [w.reflectionId, w.author.id, w.occurredOn]),
      '2025-03-06',
      world.orgA,
      world.orgB,
      world.teamA1,
      world.teamA2,
      world.teamB1,
      first,
      ...(['admin', 'leaderA', 'leaderB', 'workerA', 'workerB', 'researcher'] as const).flatMap((a) => [
        world[a].id,
        world[a].email,
      ]),
      '@example.org',
    ];
    for (const [name, bytes] of Object.entries(files)) {
      for (const needle of needles) {
        expect({ file: name, found: bytes.includes(Buffer.from(needle)) ? needle : null }).toEqual({
          file: name,
          found: null,
        });
        // ids also without their dashes, in either case
        const bare = needle.replace(/-/g, '');
        if (/^[0-9a-f]{32}$/i.test(bare))
          expect(bytes.toString('utf8').toLowerCase().includes(bare.toLowerCase())).toBe(false);
      }
    }
  });

  it('gives every (organisation, team, period) group at least k people', async () => {
    const groups = new Map<string, Set<string>>();
    for (const r of ndjson(files.ndjson)) {
      const key = `${r.organisation}/${r.team}/${r.period}`;
      groups.set(key, (groups.get(key) ?? new Set()).add(r.person));
    }
    expect(groups.size).toBe(3);
    for (const people of groups.values()) expect(people.size).toBeGreaterThanOrEqual(K);
  });

  it('writes a CSV (RFC 4180) that parses back to the NDJSON records', async () => {
    const text = files.csv.toString('utf8');
    expect(text.split('\r\n').length).toBe(8 + 6 + 5 + 2); // header, 19 records, and the empty string after the last CRLF
    const rows: Record<string, string>[] = parse(text, { columns: true, record_delimiter: '\r\n' });
    expect(rows.map(recordFromCsv)).toEqual(ndjson(files.ndjson));
    expect(Object.keys(rows[0])).toContain('challenges.colleague_buy_in');
  });

  it('describes the files in a valid Frictionless Data Package, with the codebook, the report and the consent scope', async () => {
    const descriptor = JSON.parse(files.datapackage.toString('utf8'));
    expect(frictionlessErrors(descriptor)).toEqual([]);
    // The names the files are downloaded under: saved side by side, the package's paths resolve.
    const saved = (file: string) => `praxis-export-${descriptor.created.slice(0, 10)}-${first.slice(0, 8)}-${file}`;
    expect(descriptor.resources.map((r: { path: string }) => r.path)).toEqual([
      saved('events.ndjson'),
      saved('events.csv'),
    ]);
    for (const list of CODEBOOK) {
      const entry = descriptor.codebook.find((c: { field: string }) => c.field === list.field);
      expect(entry.source).toBe(list.source);
      expect(entry.codes.map((c: { code: string; label: string }) => [c.code, c.label])).toEqual(
        list.codes.map((c) => [c.code, c.label]),
      );
    }
    expect(descriptor.anonymisation).toMatchObject({ k: K, suppressed: 2, generalised: { total: 11 } });
    expect(descriptor.consentScope).toMatch(/research consent/);
    const csvHeader = files.csv.toString('utf8').split('\r\n')[0].split(',');
    expect(descriptor.resources[1].schema.fields.map((f: { name: string }) => f.name)).toEqual(csvHeader);
  });

  it('gives the same person unrelated pseudonyms in a second export, and the same files on every download', async () => {
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    expect(res.status).toBe(202);
    second = res.body.id;
    await build();
    const again = ndjson((await download(second, 'events.ndjson')).bytes);
    const before = ndjson(files.ndjson);
    // The reflection written after the first request is not in this one either: the first export of a quarter fixed
    // what every export of it holds, so two exports of it differ by nothing but pseudonyms.
    expect(again).toHaveLength(before.length);
    const content = (records: ExportRecord[]) =>
      records.map((r) => JSON.stringify({ ...r, person: undefined, organisation: undefined, team: undefined })).sort();
    expect(content(again)).toEqual(content(before));
    const people = new Set(before.map((r) => r.person));
    const orgs = new Set(before.map((r) => r.organisation));
    expect(
      again.some(
        (r) =>
          people.has(r.person) ||
          orgs.has(r.organisation) ||
          (r.team !== null && before.some((b) => b.team === r.team)),
      ),
    ).toBe(false);
    expect((await download(first, 'events.ndjson')).bytes.equals(files.ndjson)).toBe(true);
    expect((await download(first, 'events.csv')).bytes.equals(files.csv)).toBe(true);
  });

  it('answers 404 for another researcher, a missing export, and every other role', async () => {
    const other = await running.app
      .get(CommandBus)
      .execute(new RegisterAccountCommand('other-researcher.rx@example.org', PASSWORD, 'researcher', SYSTEM));
    const otherToken = await login(running.baseUrl, other.email, PASSWORD);
    for (const path of [
      `/api/research/exports/${first}`,
      `/api/research/exports/${first}/events.ndjson`,
      `/api/research/exports/${first}/datapackage.json`,
    ]) {
      expect((await api('GET', path, otherToken)).status).toBe(404);
      for (const role of ['workerA', 'leaderA', 'admin'] as const)
        expect((await api('GET', path, world[role].token)).status).toBe(404);
    }
    expect((await api('GET', `/api/research/exports/${randomUUID()}`)).status).toBe(404);
    expect((await api('GET', `/api/research/exports/not-an-id/events.csv`)).status).toBe(404);
    for (const role of ['workerA', 'leaderA'] as const) {
      const res = await api('POST', '/api/research/exports', world[role].token, {
        from: '2025-01-01',
        to: '2025-12-31',
      });
      expect(res.status).toBe(404);
    }
    expect((await api('POST', '/api/research/exports', '', { from: '2025-01-01', to: '2025-12-31' })).status).toBe(401);
  });

  it('exports after consent given, withdrawn and given again only what was written under the new consent', async () => {
    // Five people and X write in week 2024-W20; X wrote once before withdrawing consent, and once after giving it again.
    for (let i = 0; i < 5; i++) await write(await person(world.teamA1, world.orgA), '2024-05-14');
    const x = await person(world.teamA1, world.orgA);
    await write(x, '2024-05-13', { fields: { resourcePressure: 'severe' }, eligible: false });
    await store.append(personStream(x.id), 'any', [
      { type: 'ResearchConsentWithdrawn', data: { personId: x.id, since: '2024-05-13T12:00:00.000Z' } },
    ]);
    await store.append(personStream(x.id), 'any', [
      { type: 'ResearchConsentGiven', data: { personId: x.id, since: '2024-05-14T12:00:00.000Z' } },
    ]);
    await write(x, '2024-05-15', { fields: { resourcePressure: 'resourced' } });
    const res = await api('POST', '/api/research/exports', undefined, { from: '2024-04-01', to: '2024-06-30' });
    expect(res.status).toBe(202);
    await build();
    const key = await running.app.get(ExportKeys).load(res.body.id, running.app.get(Database).dataSource);
    const records = ndjson((await download(res.body.id, 'events.ndjson')).bytes);
    const ofX = records.filter((r) => r.person === new Pseudonymiser(key!).person(x.id));
    expect(ofX.map((r) => [r.period, r.resourcePressure])).toEqual([['2024-W20', 'resourced']]);
    // A whole-quarter export holds nothing of the quarter before.
    expect(records.filter((r) => !/^2024-(W(1[4-9]|2[0-6])|0[4-6]|Q2)$/.test(r.period))).toEqual([]);
  });

  it('marks an export failed when it cannot be built, and never serves files for it', async () => {
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-03-31' });
    expect(res.status).toBe(202);
    // Its key damaged: the build cannot pseudonymise, so it must fail, not half-succeed.
    await running.app
      .get(Database)
      .dataSource.query(`UPDATE research_export_keys SET wrapped_key = '\\x00' WHERE export_id = $1`, [res.body.id]);
    await build();
    expect((await api('GET', `/api/research/exports/${res.body.id}`)).body).toMatchObject({ status: 'failed' });
    const nd = await download(res.body.id, 'events.ndjson');
    expect(nd.status).toBe(409);
    expect(JSON.parse(nd.bytes.toString('utf8'))).toMatchObject({ code: 'RESEARCH_EXPORT.NOT_READY' });
    const [{ n }] = await running.app
      .get(Database)
      .dataSource.query(`SELECT count(*)::int AS n FROM research_export_pages WHERE export_id = $1`, [res.body.id]);
    expect(n).toBe(0);
  });

  it('records the request, the export and its key together or not at all: a failed creation leaves nothing, a retry one export', async () => {
    const db = running.app.get(Database).dataSource;
    const counts = async () => {
      const [row] = await db.query(
        `SELECT (SELECT count(*)::int FROM events WHERE type = 'ResearchExportCreated') AS events,
                (SELECT count(*)::int FROM research_exports) AS exports,
                (SELECT count(*)::int FROM research_export_keys) AS keys`,
      );
      return row as { events: number; exports: number; keys: number };
    };
    const before = await counts();
    // The export's row cannot be written (test only): the event appended first must not stay behind.
    await db.query(`CREATE FUNCTION refuse_research_export() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN RAISE EXCEPTION 'research_exports refused by the test'; END $$`);
    await db.query(`CREATE TRIGGER refuse_research_export BEFORE INSERT ON research_exports
                      FOR EACH ROW EXECUTE FUNCTION refuse_research_export()`);
    let refused: { status: number } | undefined;
    try {
      refused = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    } finally {
      await db.query(`DROP TRIGGER refuse_research_export ON research_exports`);
      await db.query(`DROP FUNCTION refuse_research_export()`);
    }
    expect(refused?.status).toBe(500);
    expect(await counts()).toEqual(before);

    const retried = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    expect(retried.status).toBe(202);
    expect(await counts()).toEqual({ events: before.events + 1, exports: before.exports + 1, keys: before.keys + 1 });
    const [event] = await store.readStream(researchExportStream(retried.body.id));
    const [{ horizon }] = await db.query(`SELECT horizon::int AS horizon FROM research_exports WHERE id = $1`, [
      retried.body.id,
    ]);
    // Its horizon is its own event's position, as before.
    expect(horizon).toBe(event.globalPosition);
    await build();
    expect((await api('GET', `/api/research/exports/${retried.body.id}`)).body).toMatchObject({ status: 'ready' });
  });

  it('finishes an export left running by a builder that died, from scratch', async () => {
    const db = running.app.get(Database).dataSource;
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    expect(res.status).toBe(202);
    const id: string = res.body.id;
    // A builder claimed it, wrote a record and died: its heartbeat stopped long ago.
    await db.query(
      `UPDATE research_exports SET status = 'running', claim = claim + 1, heartbeat_at = now() - interval '1 hour', done = 7 WHERE id = $1`,
      [id],
    );
    await db.query(
      `INSERT INTO research_export_pages (export_id, seq, records, lines) VALUES ($1, 1, 1, '{"leftBy": "the builder that died"}' || chr(10))`,
      [id],
    );
    expect((await api('GET', `/api/research/exports/${id}`)).body).toMatchObject({ status: 'running' });
    await build();
    const got = await api('GET', `/api/research/exports/${id}`);
    expect(got.body).toMatchObject({ status: 'ready' });
    const records = ndjson((await download(id, 'events.ndjson')).bytes);
    expect(records.filter((r) => 'leftBy' in r)).toEqual([]);
    expect(records).toHaveLength(got.body.report.records);
    // The same as an export of the same log built in one go.
    const fresh = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    await build();
    expect((await api('GET', `/api/research/exports/${fresh.body.id}`)).body.report).toEqual(got.body.report);
  });

  it('leaves an export to a builder whose lease is fresh, and takes it over once the lease has run out', async () => {
    const db = running.app.get(Database).dataSource;
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    const id: string = res.body.id;
    await db.query(
      `UPDATE research_exports SET status = 'running', claim = claim + 1, heartbeat_at = now() WHERE id = $1`,
      [id],
    );
    await build();
    expect((await api('GET', `/api/research/exports/${id}`)).body).toMatchObject({ status: 'running' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM research_export_pages WHERE export_id = $1`, [id]);
    expect(n).toBe(0);
    await db.query(`UPDATE research_exports SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`, [id]);
    await build();
    expect((await api('GET', `/api/research/exports/${id}`)).body).toMatchObject({ status: 'ready' });
  });

  it('marks failed an export whose builders keep dying', async () => {
    const db = running.app.get(Database).dataSource;
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    const id: string = res.body.id;
    await db.query(
      `UPDATE research_exports SET status = 'running', claim = $2, attempts = $2, heartbeat_at = now() - interval '1 hour' WHERE id = $1`,
      [id, MAX_EXPORT_CLAIMS],
    );
    await build();
    expect((await api('GET', `/api/research/exports/${id}`)).body).toMatchObject({ status: 'failed' });
    expect((await download(id, 'events.ndjson')).status).toBe(409);
  });

  it('reads the log up to its quarter’s cut when another export fixed it at a later position', async () => {
    // The state two exports asked for at the same moment can leave: the one with the later position fixed the cut.
    const db = running.app.get(Database).dataSource;
    const [{ last }] = await db.query(`SELECT max(global_position)::int AS last FROM events`);
    await db.query(`INSERT INTO research_quarters (quarter, horizon) VALUES ('2019-Q1', $1)`, [last + 5]);
    const res = await api('POST', '/api/research/exports', undefined, { from: '2019-01-01', to: '2019-03-31' });
    expect(res.status).toBe(202);
    const [{ horizon }] = await db.query(`SELECT horizon::int AS horizon FROM research_exports WHERE id = $1`, [
      res.body.id,
    ]);
    expect(horizon).toBe(last + 5);
    await build();
  });

  (onServer() ? it : it.skip)(
    'waits for an append begun before the request to commit, and holds what it wrote',
    async () => {
      // 2021-Q1: nothing else is written there. The append takes its log position, then holds its transaction open
      // while the export is asked for (a later position, its horizon): the event belongs in the cut.
      const author = await person(world.teamA1, world.orgA);
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let inserted!: () => void;
      const insertedYet = new Promise<void>((resolve) => (inserted = resolve));
      const appending = write(author, '2021-02-10', {
        inTransaction: async () => {
          inserted();
          await held;
        },
      });
      await insertedYet;
      let building: Promise<void> | undefined;
      let id: string;
      try {
        const res = await api('POST', '/api/research/exports', undefined, { from: '2021-01-01', to: '2021-03-31' });
        expect(res.status).toBe(202);
        id = res.body.id;
        building = build();
        await new Promise((resolve) => setTimeout(resolve, 500));
        // Still waiting for the append: nothing is ready yet.
        expect((await api('GET', `/api/research/exports/${id}`)).body.status).toBe('running');
      } finally {
        release();
        await appending;
        await building;
      }
      const done = await api('GET', `/api/research/exports/${id}`);
      expect(done.body).toMatchObject({ status: 'ready', report: { eligible: 1, suppressed: 1 } });
    },
  );

  (onServer() ? it : it.skip)('is not held back by a transaction that does not write to the log', async () => {
    // A session left idle in a transaction (with a transaction id), as a report or a forgotten psql could be.
    const idle = running.app.get(Database).dataSource.createQueryRunner();
    await idle.connect();
    await idle.startTransaction();
    try {
      await idle.query(`SELECT pg_current_xact_id()`);
      const res = await api('POST', '/api/research/exports', undefined, { from: '2021-01-01', to: '2021-03-31' });
      await build();
      expect((await api('GET', `/api/research/exports/${res.body.id}`)).body.status).toBe('ready');
    } finally {
      await idle.rollbackTransaction();
      await idle.release();
    }
  });

  (onServer() ? it : it.skip)('is built by apps/worker when the api does not run projections', async () => {
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    expect(res.status).toBe(202);
    const worker = await NestFactory.createApplicationContext(WorkerModule.forRoot(running.config), { logger: false });
    try {
      let status = res.body.status;
      while (status === 'queued' || status === 'running') {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await api('GET', `/api/research/exports/${res.body.id}`)).body.status;
      }
      expect(status).toBe('ready');
    } finally {
      await worker.close();
    }
    // The same records as one built here from the same log.
    const here = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    await build();
    const byWorker = ndjson((await download(res.body.id, 'events.ndjson')).bytes);
    expect(byWorker.length).toBeGreaterThan(0);
    expect(byWorker).toHaveLength(ndjson((await download(here.body.id, 'events.ndjson')).bytes).length);
  });

  // Last: it changes what every later export of the log holds.
  it('builds an export again without a person who erases after it was built, and serves nothing meanwhile', async () => {
    const db = running.app.get(Database).dataSource;
    const res = await api('POST', '/api/research/exports', undefined, { from: '2025-01-01', to: '2025-12-31' });
    const id: string = res.body.id;
    await build();
    const before = ndjson((await download(id, 'events.ndjson')).bytes);
    const reportBefore = (await api('GET', `/api/research/exports/${id}`)).body.report;
    const pseudonyms = new Pseudonymiser((await running.app.get(ExportKeys).load(id, db))!);
    // One of team A1's eight people of 2025-W10: their record is in the export.
    const leaving = written.find((w) => w.eligible && w.author.team === world.teamA1 && w.occurredOn === '2025-03-05')!;
    const gone = pseudonyms.person(leaving.author.id);
    expect(before.filter((r) => r.person === gone)).toHaveLength(1);

    await store.append(personStream(leaving.author.id), 'any', [
      { type: 'PersonalDataErased', data: { personId: leaving.author.id } },
    ]);
    // Sent back to be built again: its status says so, and its files answer 409 until it is ready.
    const queued = await api('GET', `/api/research/exports/${id}`);
    expect(queued.body).toMatchObject({ status: 'queued', progress: { done: 0, total: 0 } });
    for (const file of ['events.ndjson', 'events.csv', 'datapackage.json'])
      expect((await download(id, file)).status).toBe(409);

    await build();
    const got = await api('GET', `/api/research/exports/${id}`);
    expect(got.body).toMatchObject({ status: 'ready', createdAt: queued.body.createdAt });
    const after = ndjson((await download(id, 'events.ndjson')).bytes);
    expect(after.filter((r) => r.person === gone)).toEqual([]);
    expect(got.body.report).toEqual({
      ...reportBefore,
      records: reportBefore.records - 1,
      eligible: reportBefore.eligible - 1,
      atWeek: reportBefore.atWeek - 1,
    });
    // Built again under a fresh key (and its own cut): no pseudonym of the old files is in the new ones, so a
    // researcher holding another export cannot match the pseudonym that vanished from each; everyone else's
    // records are all still there, pseudonyms aside.
    const fresh = new Pseudonymiser((await running.app.get(ExportKeys).load(id, db))!);
    expect(after.filter((r) => r.person === fresh.person(leaving.author.id))).toEqual([]);
    const pseudonymsOf = (records: ExportRecord[]) =>
      new Set(records.flatMap((r) => [r.person, r.organisation, ...(r.team ? [r.team] : [])]));
    const old = pseudonymsOf(before);
    expect([...pseudonymsOf(after)].filter((p) => old.has(p))).toEqual([]);
    const contents = (records: ExportRecord[]) =>
      records.map((r) => JSON.stringify({ ...r, person: undefined, organisation: undefined, team: undefined })).sort();
    expect(contents(after)).toEqual(contents(before.filter((r) => r.person !== gone)));
    // The same people, each under a new pseudonym.
    const people = (records: ExportRecord[], under: Pseudonymiser) =>
      written
        .filter((w) => records.some((r) => r.person === under.person(w.author.id)))
        .map((w) => w.author.id)
        .filter((a, i, all) => all.indexOf(a) === i)
        .sort();
    expect(people(after, fresh)).toEqual(people(before, pseudonyms).filter((a) => a !== leaving.author.id));
  });

  describe('two exports of one quarter, held by a researcher who knows some of the people', () => {
    // 2022-Q1, organisation B's team: nothing else is written there.
    // 2022-W10: X and four others → released by week. W11: a, b; W12: c, d; Y alone in W01 and W02. March without
    // W10 has four people, so a, b, c, d and Y are released together, by quarter.
    const Q = { from: '2022-01-01', to: '2022-03-31' };
    let x: Author;
    let y: Author;
    let a: Author;
    let e1: ExportRecord[];
    const content = (records: ExportRecord[]) =>
      records.map((r) => JSON.stringify({ ...r, person: undefined, organisation: undefined, team: undefined })).sort();
    const exportOf = async () => {
      const res = await api('POST', '/api/research/exports', undefined, Q);
      expect(res.status).toBe(202);
      await build();
      expect((await api('GET', `/api/research/exports/${res.body.id}`)).body.status).toBe('ready');
      return ndjson((await download(res.body.id, 'events.ndjson')).bytes);
    };

    beforeAll(async () => {
      x = await person(world.teamB1, world.orgB);
      await write(x, '2022-03-08', { fields: { resourcePressure: 'severe' } });
      for (let i = 0; i < 4; i++) await write(await person(world.teamB1, world.orgB), '2022-03-08');
      a = await person(world.teamB1, world.orgB);
      for (const author of [a, await person(world.teamB1, world.orgB)]) await write(author, '2022-03-15');
      for (let i = 0; i < 2; i++) await write(await person(world.teamB1, world.orgB), '2022-03-22');
      y = await person(world.teamB1, world.orgB);
      await write(y, '2022-01-04', { fields: { resourcePressure: 'survival' } });
      await write(y, '2022-01-11', { fields: { resourcePressure: 'survival' } });
    });

    it('places the quarter once', async () => {
      e1 = await exportOf();
      expect(e1.map((r) => r.period).sort()).toEqual([...Array(6).fill('2022-Q1'), ...Array(5).fill('2022-W10')]);
    });

    it('after an erasure, leaves out what fell below k instead of pooling it anew, so the difference is only what was erased', async () => {
      await store.append(personStream(x.id), 'any', [{ type: 'PersonalDataErased', data: { personId: x.id } }]);
      const e2 = await exportOf();
      // W10 has four people left: it is left out, not pooled with W11 and W12 into March — which would leave Y's two
      // records alone in the quarter, and the quarter of the first export less March of this one would be Y's.
      expect(e2.map((r) => r.period)).not.toContain('2022-03');
      const e1Quarter = content(e1.filter((r) => r.period === '2022-Q1'));
      expect(content(e2.filter((r) => r.period === '2022-Q1'))).toEqual(e1Quarter);
      // Every record of the second export is in the first, in the same class; nothing moved.
      const first = content(e1);
      for (const line of content(e2)) expect(first).toContain(line);
      expect(e2.filter((r) => r.resourcePressure === 'survival')).toHaveLength(2);
    });

    it('keeps a record moved into the quarter before its cut as published, whatever its author or others change after', async () => {
      // 2020-Q1: P's reflection, written for a day of April, is moved into 2020-W10 before the first export; six
      // others write there too. After that export, P and Q each change their pressure.
      const others: Author[] = [];
      for (let i = 0; i < 6; i++) others.push(await person(world.teamA2, world.orgA));
      for (const author of others) await write(author, '2020-03-03');
      const p = await person(world.teamA2, world.orgA);
      const moved = await write(p, '2020-04-07');
      const amend = async (reflectionId: string, authorId: string, version: number, fields: Partial<CodedFields>) => {
        await store.append(reflectionStream(reflectionId), version, [
          {
            type: 'ReflectionAmended',
            data: { reflectionId, authorId, fields, content: { soWhat: SECRET(`amend-${version}-${reflectionId}`) } },
          },
        ]);
        secrets.push(SECRET(`amend-${version}-${reflectionId}`));
      };
      await amend(moved, p.id, 1, { occurredOn: '2020-03-04' });
      const range = { from: '2020-01-01', to: '2020-03-31' };
      const exportIt = async () => {
        const res = await api('POST', '/api/research/exports', undefined, range);
        await build();
        return ndjson((await download(res.body.id, 'events.ndjson')).bytes);
      };
      const before = await exportIt();
      expect(before.map((r) => r.period)).toEqual(Array(7).fill('2020-W10'));
      expect(before.filter((r) => r.amended)).toHaveLength(1);
      await amend(moved, p.id, 2, { resourcePressure: 'severe' });
      const q = written.find((w) => w.author === others[0])!;
      await amend(q.reflectionId, others[0].id, 1, { resourcePressure: 'severe' });
      // And R moves theirs out, to a day of a quarter nobody has exported.
      const r = written.find((w) => w.author === others[1])!;
      await amend(r.reflectionId, others[1].id, 1, { occurredOn: '2020-05-05' });
      const after = await exportIt();
      // No change shows, and no record leaves: the two files differ by nothing but pseudonyms.
      expect(content(after)).toEqual(content(before));
    });

    it('never takes in a record written, nor an amendment made, after the first export of the quarter', async () => {
      // A late entry in W11 (a third person there) and an amendment of a's reflection, after the quarter was fixed.
      await write(await person(world.teamB1, world.orgB), '2022-03-16', { fields: { resourcePressure: 'severe' } });
      const ofA = written.find((w) => w.author === a)!;
      secrets.push(SECRET('late-amendment'));
      await store.append(reflectionStream(ofA.reflectionId), 1, [
        {
          type: 'ReflectionAmended',
          data: {
            reflectionId: ofA.reflectionId,
            authorId: a.id,
            fields: { resourcePressure: 'survival' },
            content: { soWhat: SECRET('late-amendment') },
          },
        },
      ]);
      const e3 = await exportOf();
      expect(e3.filter((r) => r.resourcePressure === 'severe')).toEqual([]);
      expect(e3.filter((r) => r.resourcePressure === 'survival')).toHaveLength(2);
      expect(e3.filter((r) => r.amended)).toEqual([]);
      expect(content(e3)).toEqual(content(e1.filter((r) => r.period === '2022-Q1')));
    });
  });

  it.each([
    [{ from: '2025-04-01', to: '2025-03-31' }, 'The "From" date must not be after the "To" date'],
    [{ from: '2015-01-01', to: '2025-03-31' }, 'The "From" date must be at most 10 years before the "To" date'],
    [{ from: '2025-02-30', to: '2025-03-31' }, 'The "From" date must be a date written YYYY-MM-DD'],
    [{ from: '2025-01-01', to: 'tomorrow' }, 'The "To" date must be a date written YYYY-MM-DD'],
    // A quarter not yet over: the first export of a quarter fixes what every export of it holds.
    [
      { from: '2099-01-01', to: '2099-03-31' },
      'The "To" date must be the last day of a quarter that ended, its last week included, at least 14 days ago, so that late entries count',
    ],
    [{ from: '2025-01-01' }, 'to should not be null or undefined'],
    // The research page's form sends a field left empty as an empty string.
    [{ from: '', to: '2025-03-31' }, 'Enter the "From" date: the first day of a quarter, such as 2025-01-01'],
    [{ from: '2025-01-01', to: '2025-03-31', k: 2 }, 'property k should not exist'],
    // One day, and ragged ends: two such exports a day apart would isolate that day's records.
    [
      { from: '2025-03-05', to: '2025-03-05' },
      'The "From" date must be the first day of a quarter: the nearest are 2025-01-01 (2025-Q1) and 2025-04-01 (2025-Q2)',
    ],
    [
      { from: '2025-01-01', to: '2025-05-15' },
      'The "To" date must be the last day of a quarter: the nearest are 2025-03-31 (2025-Q1) and 2025-06-30 (2025-Q2)',
    ],
    [
      { from: '2025-01-02', to: '2025-03-31' },
      'The "From" date must be the first day of a quarter: the nearest are 2025-01-01 (2025-Q1) and 2025-04-01 (2025-Q2)',
    ],
  ])('refuses %j with 400 naming the field', async (body, message) => {
    const before = await running.app.get(Database).dataSource.query(`SELECT count(*)::int AS n FROM research_exports`);
    const res = await api('POST', '/api/research/exports', undefined, body);
    expect(res.status).toBe(400);
    expect([res.body.message].flat().join('; ')).toContain(message);
    const after = await running.app.get(Database).dataSource.query(`SELECT count(*)::int AS n FROM research_exports`);
    expect(after).toEqual(before);
  });
});
