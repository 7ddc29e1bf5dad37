import { randomBytes } from 'node:crypto';
import type { AppConfig } from '@praxis/common';
import { changeFormOf, formPostedTo, ReflectionDrafts } from './reflection-draft';

const drafts = new ReflectionDrafts({ masterKey: randomBytes(32) } as AppConfig);
const WORKER = 'a3f1c9d2-0000-4000-8000-000000000001';
const OTHER = 'a3f1c9d2-0000-4000-8000-000000000002';

/** The new-reflection form as the browser posts it, with its owner tag. */
const refused = (owner = drafts.owner(WORKER, 'sub-1')) => ({
  _csrf: 'old',
  draftOwner: owner,
  submissionId: 'sub-1',
  occurredOn: '2026-03-09',
  whatHappened: 'Line one,\nline "two" & <three>',
  ladderRung: 'consultation',
  challenges: ['time', 'colleague_buy_in'],
  principles: 'assets',
  soWhat: '',
});

describe('a reflection draft carried through the sign-in page', () => {
  it('is sealed: the sign-in page holds none of its words', () => {
    const carried = drafts.seal(refused(), 'sub-1')!;
    expect(carried.draft).not.toContain('Line one');
    expect(Buffer.from(carried.draft.replace(/^[^:]*:/, ''), 'base64').toString('latin1')).not.toContain('Line one');
  });

  it('opens, as the form sent it, for the worker who wrote it', () => {
    const carried = drafts.carried({ email: 'w@example.org', password: 'p', ...drafts.seal(refused(), 'sub-1') })!;
    expect(drafts.open(carried, WORKER)?.body).toEqual({
      submissionId: 'sub-1',
      occurredOn: '2026-03-09',
      whatHappened: 'Line one,\nline "two" & <three>',
      ladderRung: 'consultation',
      challenges: ['time', 'colleague_buy_in'],
      principles: 'assets',
    });
  });

  it('does not open for anyone else who signs in on that page', () => {
    expect(drafts.open(drafts.seal(refused(), 'sub-1')!, OTHER)).toBeUndefined();
  });

  it('is not carried from a form that did not come from Praxis (no owner tag, or a made-up one)', () => {
    expect(drafts.seal({ ...refused(), draftOwner: undefined }, 'sub-1')).toBeUndefined();
    const planted = drafts.seal(refused('A'.repeat(43)), 'sub-1')!;
    expect(drafts.open(planted, WORKER)).toBeUndefined();
  });

  it('does not open once altered, or with another draft’s owner tag', () => {
    const carried = drafts.seal(refused(), 'sub-1')!;
    const flipped = carried.draft.slice(0, -4) + (carried.draft.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect(drafts.open({ ...carried, draft: flipped }, WORKER)).toBeUndefined();
    const other = drafts.seal({ ...refused(drafts.owner(WORKER, 'sub-2')), submissionId: 'sub-2' }, 'sub-2')!;
    expect(drafts.open({ draft: carried.draft, draftOwner: other.draftOwner }, WORKER)).toBeUndefined();
  });

  it('knows a change to a saved reflection by the reflection, and gives it back on that reflection’s page', () => {
    const id = '0b6d2c1e-8a7f-4c3d-9e2b-1f0a9b8c7d6e';
    const form = changeFormOf(id);
    const change = { draftOwner: drafts.owner(WORKER, form), version: '3', whatHappened: 'Changed words.' };
    expect(formPostedTo(`/journal/${id}`, change)).toBe(form);
    expect(formPostedTo(`/journal/${id}/withdraw`, change)).toBeUndefined();
    const opened = drafts.open(drafts.seal(change, form)!, WORKER)!;
    expect(opened).toEqual({ form, page: `/journal/${id}`, body: { version: '3', whatHappened: 'Changed words.' } });
    expect(drafts.open(drafts.seal(change, form)!, OTHER)).toBeUndefined();
    // A change's draft cannot pass for a new reflection's, nor one reflection's for another's.
    expect(drafts.open(drafts.seal(change, 'sub-1')!, WORKER)).toBeUndefined();
    expect(drafts.open(drafts.seal(change, changeFormOf(OTHER))!, WORKER)).toBeUndefined();
  });

  it('carries only the reflection form’s fields, never the password or the CSRF token', () => {
    const carried = drafts.seal({ ...refused(), password: 'secret', role: 'admin' }, 'sub-1')!;
    const opened = drafts.open(carried, WORKER)!.body;
    expect(Object.keys(opened)).not.toContain('password');
    expect(Object.keys(opened)).not.toContain('_csrf');
    expect(Object.keys(opened)).not.toContain('role');
  });
});
