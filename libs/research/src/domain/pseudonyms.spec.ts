import { createHmac } from 'node:crypto';
import { newExportKey, Pseudonymiser, PSEUDONYM_HEX_LENGTH } from './pseudonyms';

describe('pseudonyms', () => {
  const id = '0b6d1f6e-6f4c-4e83-9d3b-3c1f2f0a9a11';

  it('is HMAC-SHA256 of kind:id under the export key, cut to 128 bits', () => {
    const key = newExportKey();
    const expected = createHmac('sha256', key).update(`person:${id}`).digest('hex').slice(0, PSEUDONYM_HEX_LENGTH);
    expect(new Pseudonymiser(key).person(id)).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{32}$/);
  });

  it('is stable within one export and unrelated across two', () => {
    const a = new Pseudonymiser(newExportKey());
    const b = new Pseudonymiser(newExportKey());
    expect(a.person(id)).toBe(a.person(id));
    expect(a.person(id)).not.toBe(b.person(id));
    expect(a.organisation(id)).not.toBe(b.organisation(id));
  });

  it('keeps kinds apart: a person and an organisation with the same id get different pseudonyms', () => {
    const p = new Pseudonymiser(newExportKey());
    expect(new Set([p.person(id), p.organisation(id), p.team(id)]).size).toBe(3);
  });

  it('does not contain the id', () => {
    const p = new Pseudonymiser(newExportKey());
    expect(p.person(id)).not.toContain(id.slice(0, 8));
  });

  it('refuses a short key', () => {
    expect(() => new Pseudonymiser(Buffer.alloc(16))).toThrow();
  });
});
