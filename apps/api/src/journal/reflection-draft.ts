import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@praxis/common';
import { openWithKey, sealWithKey } from '@praxis/event-store';
import { FormBody, PAGE_ORDER } from './reflection-form';

/**
 * A new reflection typed while the session ended (signed out in another tab, or the session ran out): the save is
 * refused, and without this the text would be gone — pages are never cached, so Back brings back an empty form.
 *
 * The refusal answers with the sign-in page, carrying what was typed as one sealed field (AES-256-GCM under a key
 * derived from the master key), never as readable text: the next person at a shared computer, or a Back and
 * resubmit after signing out, finds only ciphertext in that page. It opens only for the person who wrote it: the
 * form carries an owner tag, an HMAC of their account and the form's submission id, and signing in gives the draft
 * back only to the account whose tag it carries — anyone else signs in as usual and never sees it. A form that did
 * not come from Praxis has no valid tag, so nobody can plant a "draft" in someone's form. Nothing is stored on the
 * server on the way, and nothing is saved that the person did not save themselves.
 */
export const NEW_REFLECTION_PATH = '/journal/new';

/** What the new-reflection form sends, and the submission id that keeps a double save to one reflection. */
const FORM_FIELDS = [...PAGE_ORDER, 'submissionId'];

/** The sign-in form's hidden fields that carry a draft. */
export interface CarriedDraft {
  draft: string;
  draftOwner: string;
}

const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s !== '');
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.length <= 200_000 ? v : undefined);

@Injectable()
export class ReflectionDrafts {
  private readonly ownerKey: Buffer;
  private readonly sealKey: Buffer;

  constructor(config: AppConfig) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', config.masterKey, Buffer.alloc(0), info, 32));
    this.ownerKey = derive('praxis reflection draft owner');
    this.sealKey = derive('praxis reflection draft seal');
  }

  /** The owner tag the new-reflection form carries: whose it is, for this form only. */
  owner(accountId: string, submissionId: string): string {
    return createHmac('sha256', this.ownerKey).update(`${accountId}\n${submissionId}`).digest('base64url');
  }

  /** A refused post of the form, sealed for the sign-in page; undefined when it carries no owner tag (not our form). */
  seal(body: unknown): CarriedDraft | undefined {
    const form = (body ?? {}) as Record<string, unknown>;
    const draftOwner = text(form.draftOwner);
    if (!draftOwner || !/^[A-Za-z0-9_-]{43}$/.test(draftOwner)) return undefined;
    const draft: FormBody = {};
    for (const field of FORM_FIELDS) {
      const carried = values(form[field]);
      if (carried.length) draft[field] = carried.length === 1 ? carried[0] : carried;
    }
    if (!Object.keys(draft).some((k) => k !== 'submissionId')) return undefined;
    return { draft: sealWithKey(this.sealKey, Buffer.from(JSON.stringify(draft)), `draft:${draftOwner}`), draftOwner };
  }

  /** The draft a sign-in form carries, to carry again through a retry (unopened); undefined if none. */
  carried(loginForm: unknown): CarriedDraft | undefined {
    const form = (loginForm ?? {}) as Record<string, unknown>;
    const draft = text(form.draft);
    const draftOwner = text(form.draftOwner);
    return draft && draftOwner ? { draft, draftOwner } : undefined;
  }

  /** The draft opened for the account that signed in, as the form's body: only if it is theirs, else undefined. */
  open(carried: CarriedDraft, accountId: string): FormBody | undefined {
    let draft: FormBody;
    try {
      draft = JSON.parse(
        openWithKey(this.sealKey, carried.draft, `draft:${carried.draftOwner}`).toString(),
      ) as FormBody;
    } catch {
      return undefined; // altered, or sealed under another master key
    }
    const submissionId = typeof draft.submissionId === 'string' ? draft.submissionId : '';
    const expected = Buffer.from(this.owner(accountId, submissionId));
    const given = Buffer.from(carried.draftOwner);
    return expected.length === given.length && timingSafeEqual(expected, given) ? draft : undefined;
  }
}
