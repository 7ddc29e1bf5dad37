import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@praxis/common';
import { openWithKey, sealWithKey } from '@praxis/event-store';
import { FormBody, PAGE_ORDER } from './reflection-form';

/**
 * A reflection typed while the session ended (signed out in another tab, or the session ran out) — a new one, or a
 * change to a saved one: the save is refused, and without this the text would be gone — pages are never cached, so
 * Back brings back an empty form.
 *
 * The refusal answers with the sign-in page, carrying what was typed as one sealed field (AES-256-GCM under a key
 * derived from the master key), never as readable text: the next person at a shared computer, or a Back and
 * resubmit after signing out, finds only ciphertext in that page. It opens only for the person who wrote it: each
 * form carries an owner tag, an HMAC of their account and the form (the new form's submission id, or the
 * reflection a change is of), and signing in gives the draft back only to the account whose tag it carries —
 * anyone else signs in as usual and never sees it. A form that did not come from Praxis has no valid tag, so
 * nobody can plant a "draft" in someone's form. Nothing is stored on the server on the way, and nothing is saved
 * that the person did not save themselves.
 */
export const NEW_REFLECTION_PATH = '/journal/new';

/** A reflection's page, whose change form may be refused the same way: `/journal/<uuid>`. */
const REFLECTION_PATH = /^\/journal\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** What the reflection forms send: the fields, the new form's submission id, the change form's version. */
const FORM_FIELDS = [...PAGE_ORDER, 'submissionId', 'version'];

/** Which form a change is of: it names the reflection (a new reflection's form is its submission id). */
export const changeFormOf = (reflectionId: string): string => `reflection:${reflectionId}`;

/** The sign-in form's hidden fields that carry a draft. */
export interface CarriedDraft {
  draft: string;
  draftOwner: string;
}

/** A draft opened for its author: which form it is of, the page that form is on, and the form as it was sent. */
export interface OpenedDraft {
  form: string;
  page: string;
  body: FormBody;
}

const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s !== '');
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 200_000 ? v : undefined);

/** Which reflection form a path posts, given what it sent; undefined for any other path. */
export function formPostedTo(path: string, body: unknown): string | undefined {
  if (path === NEW_REFLECTION_PATH) return text((body as Record<string, unknown> | undefined)?.submissionId);
  const id = REFLECTION_PATH.exec(path)?.[1];
  return id ? changeFormOf(id) : undefined;
}

const pageOfForm = (form: string): string =>
  form.startsWith('reflection:') ? `/journal/${form.slice('reflection:'.length)}` : NEW_REFLECTION_PATH;

@Injectable()
export class ReflectionDrafts {
  private readonly ownerKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(config: AppConfig) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', config.masterKey, Buffer.alloc(0), info, 32));
    this.ownerKey = derive('praxis reflection draft owner');
    this.sealKey = derive('praxis reflection draft seal');
  }

  /** The owner tag a reflection form carries: whose it is, for this form only. */
  owner(accountId: string, form: string): string {
    return createHmac('sha256', this.ownerKey).update(`${accountId}\n${form}`).digest('base64url');
  }

  /**
   * A refused post of a reflection form (`form`: which one, see formPostedTo), sealed for the sign-in page;
   * undefined when it carries no owner tag (not our form) or nothing typed.
   */
  seal(body: unknown, form: string | undefined): CarriedDraft | undefined {
    const sent = (body ?? {}) as Record<string, unknown>;
    const draftOwner = text(sent.draftOwner);
    if (!form || !draftOwner || !/^[A-Za-z0-9_-]{43}$/.test(draftOwner)) return undefined;
    const draft: FormBody = {};
    for (const field of FORM_FIELDS) {
      const carried = values(sent[field]);
      if (carried.length) draft[field] = carried.length === 1 ? carried[0] : carried;
    }
    if (!Object.keys(draft).some((k) => k !== 'submissionId' && k !== 'version')) return undefined;
    const sealed = sealWithKey(this.sealKey, Buffer.from(JSON.stringify({ form, draft })), `draft:${draftOwner}`);
    return { draft: sealed, draftOwner };
  }

  /** The draft a sign-in form carries, to carry again through a retry (unopened); undefined if none. */
  carried(loginForm: unknown): CarriedDraft | undefined {
    const form = (loginForm ?? {}) as Record<string, unknown>;
    const draft = text(form.draft);
    const draftOwner = text(form.draftOwner);
    return draft && draftOwner ? { draft, draftOwner } : undefined;
  }

  /** The draft opened for the account that signed in: only if it is theirs, else undefined. */
  open(carried: CarriedDraft, accountId: string): OpenedDraft | undefined {
    let opened: { form?: unknown; draft?: FormBody };
    try {
      opened = JSON.parse(openWithKey(this.sealKey, carried.draft, `draft:${carried.draftOwner}`).toString());
    } catch {
      return undefined; // altered, or sealed under another master key
    }
    const form = String(opened.form);
    const expected = Buffer.from(this.owner(accountId, form));
    const given = Buffer.from(carried.draftOwner);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    return { form, page: pageOfForm(form), body: opened.draft ?? {} };
  }
}
