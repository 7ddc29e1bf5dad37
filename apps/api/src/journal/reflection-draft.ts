import { FormBody, PAGE_ORDER } from './reflection-form';

/**
 * A new reflection typed while the session ended (signed out in another tab, or the session ran out): the save is
 * refused, and without this the text would be gone — pages are never cached, so Back brings back an empty form.
 * The refusal answers with the sign-in page, carrying what was typed in hidden fields of its form (`draft_…`);
 * signing in there gives the form back, filled in and not saved yet, for the person to check and save. Nothing is
 * stored on the server on the way, and nothing is saved that the person did not save themselves.
 */
export const NEW_REFLECTION_PATH = '/journal/new';

/** What the new-reflection form sends, and the submission id that keeps a double save to one reflection. */
const FORM_FIELDS = [...PAGE_ORDER, 'submissionId'];

const PREFIX = 'draft_';

const values = (v: unknown): string[] =>
  (Array.isArray(v) ? v : [v]).filter((s): s is string => typeof s === 'string' && s !== '');

/** A refused form post's fields as hidden inputs of the sign-in form: one per value (a checkbox list repeats). */
export function draftInputs(body: unknown): { name: string; value: string }[] {
  const form = (body ?? {}) as Record<string, unknown>;
  return FORM_FIELDS.flatMap((field) => values(form[field]).map((value) => ({ name: PREFIX + field, value })));
}

/** The draft carried through the sign-in form, as the reflection form's body; undefined if none was carried. */
export function draftFrom(loginForm: unknown): FormBody | undefined {
  const form = (loginForm ?? {}) as Record<string, unknown>;
  const draft: FormBody = {};
  for (const field of FORM_FIELDS) {
    const carried = values(form[PREFIX + field]);
    if (carried.length) draft[field] = carried.length === 1 ? carried[0] : carried;
  }
  return Object.keys(draft).some((k) => k !== 'submissionId') ? draft : undefined;
}
