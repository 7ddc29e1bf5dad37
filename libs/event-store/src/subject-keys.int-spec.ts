import { openTestDatabase, TestDatabase } from '@praxis/testing';
import { buildStore } from './testing';
import { ERASED, SubjectErasedError, SubjectKeyStore, isErased, isSealed } from './subject-keys';

describe('SubjectKeyStore: per-person keys for erasure (real database)', () => {
  let db: TestDatabase;
  let keys: SubjectKeyStore;

  beforeAll(async () => {
    db = await openTestDatabase('subject_keys');
    keys = new SubjectKeyStore(db.dataSource, db.config);
  });
  afterAll(() => db.close());

  it('seals a value so the database never holds the plain text, and opens it again', async () => {
    const secret = 'Met the carers’ group; the chair felt unheard <script>';
    const sealed = await keys.encrypt('person-1', secret);
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain('carers');
    expect(await keys.decrypt('person-1', sealed)).toBe(secret);
    const [{ wrapped }] = await db.dataSource.query(
      `SELECT encode(wrapped_key, 'escape') AS wrapped FROM subject_keys WHERE subject_id = 'person-1'`,
    );
    expect(wrapped).toMatch(/^pxe1:/); // the stored key is itself wrapped by the master key
  });

  it('seals the same text under a fresh IV every time, across many seals, and each opens again', async () => {
    const sealed = await keys.encryptMany(
      'person-iv',
      Array.from({ length: 700 }, () => 'the same words'),
      undefined,
      {
        keepKey: true,
      },
    );
    const ivs = sealed.map((v) => Buffer.from(v.slice('pxe1:'.length), 'base64').subarray(0, 12).toString('hex'));
    expect(new Set(ivs).size).toBe(700);
    expect(new Set(sealed).size).toBe(700);
    const opened = await keys.decryptMany(sealed.map((v) => ({ subjectId: 'person-iv', sealed: v })));
    expect(opened.every((v) => v === 'the same words')).toBe(true);
  });

  it('binds a sealed value to its subject: another person’s key cannot open it', async () => {
    const sealed = await keys.encrypt('person-2', 'mine');
    await keys.encrypt('person-3', 'theirs');
    await expect(keys.decrypt('person-3', sealed)).rejects.toThrow();
  });

  it('after destroying the key, every value reads as ERASED (no exception) and nothing new can be sealed', async () => {
    const { store } = buildStore(db.dataSource);
    const texts = ['first reflection', 'second reflection'];
    const sealed = await keys.encryptMany('person-4', texts);
    await store.append(
      'journal-4',
      'no_stream',
      sealed.map((s) => ({ type: 'Noted', data: { text: s } })),
    );
    expect(await keys.decryptMany(sealed.map((s) => ({ subjectId: 'person-4', sealed: s })))).toEqual(texts);

    await keys.destroy('person-4');
    expect(await keys.isDestroyed('person-4')).toBe(true);
    const replayed = await store.readStream('journal-4');
    const opened = await keys.decryptMany(
      replayed.map((e) => ({ subjectId: 'person-4', sealed: (e.data as { text: string }).text })),
    );
    expect(opened).toEqual([ERASED, ERASED]);
    expect(opened.every(isErased)).toBe(true);
    await expect(keys.encrypt('person-4', 'more')).rejects.toBeInstanceOf(SubjectErasedError);

    const [{ n }] = await db.dataSource.query(
      `SELECT count(*)::int AS n FROM subject_keys WHERE subject_id = 'person-4' AND wrapped_key IS NULL AND destroyed_at IS NOT NULL`,
    );
    expect(n).toBe(1);
    const dump = JSON.stringify(await db.dataSource.query(`SELECT * FROM events`));
    expect(dump).not.toContain('reflection');
  });

  it('treats a person who never had a key, or whose key is destroyed twice, calmly', async () => {
    await keys.destroy('person-5');
    await keys.destroy('person-5');
    expect(await keys.isDestroyed('person-5')).toBe(true);
    expect(await keys.isDestroyed('nobody')).toBe(false);
  });
});
