import { plainToInstance } from 'class-transformer';
import { fieldMessages, validateAt } from '@praxis/common';
import { AmendReflectionDto, FIELD_LABELS, PERSONAL_FIELDS, ReflectionDto, ReflectionView } from '@praxis/journal';

/** The form's fields as the browser sends them (urlencoded: a repeated checkbox becomes a list). */
export type FormBody = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
const text = (v: string | string[] | undefined): string | undefined => {
  const s = one(v);
  return s === undefined || s.trim() === '' ? undefined : s;
};
const list = (v: string | string[] | undefined): string[] =>
  (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((s) => s !== '');

/** Turns the form into the API's reflection shape, so both are validated by the same rules. */
export function formToReflection(body: FormBody): Record<string, unknown> {
  const argument = text(body.advocacyArgument);
  const reception = text(body.advocacyReception);
  const lived = one(body.livedExperienceInvolved);
  const tags = (one(body.tags) ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  const out: Record<string, unknown> = {
    occurredOn: text(body.occurredOn),
    whatHappened: one(body.whatHappened) ?? undefined,
    soWhat: text(body.soWhat) ?? null,
    nowWhat: text(body.nowWhat) ?? null,
    ladderRung: text(body.ladderRung),
    aspiredRung: text(body.aspiredRung) ?? null,
    resourcePressure: text(body.resourcePressure),
    pressureSources: list(body.pressureSources),
    challenges: list(body.challenges),
    principles: list(body.principles),
    stage: text(body.stage) ?? null,
    embedding: text(body.embedding) ?? null,
    advocacy: argument || reception ? { ...(argument ? { argument } : {}), ...(reception ? { reception } : {}) } : null,
    livedExperienceInvolved: lived === 'yes' ? true : lived === 'no' ? false : null,
    tags,
  };
  return Object.fromEntries(Object.entries(out).filter(([, v]) => v !== undefined));
}

export interface FormResult<T> {
  dto?: T;
  /** One message per field, keyed by the form field's name. */
  errors: Record<string, string>;
}

/** Validates the form as the API would, at `now` (the Clock's: a date must not be in the future). */
export async function validateForm<T extends object>(
  cls: new () => T,
  values: Record<string, unknown>,
  now: Date,
): Promise<FormResult<T>> {
  const dto = plainToInstance(cls, values);
  const problems = await validateAt(now, dto, { whitelist: true, forbidNonWhitelisted: true });
  if (!problems.length) return { dto, errors: {} };
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const [message] = fieldMessages([problem]);
    const field =
      problem.property === 'advocacy'
        ? message.startsWith('advocacy.reception')
          ? 'advocacyReception'
          : 'advocacyArgument'
        : problem.property;
    errors[field] ??= formMessage(field, message);
  }
  // In the order the page shows the fields, so the summary reads top to bottom like the form.
  const rank = (f: string) => (PAGE_ORDER.includes(f) ? PAGE_ORDER.indexOf(f) : PAGE_ORDER.length);
  return { errors: Object.fromEntries(Object.entries(errors).sort(([a], [b]) => rank(a) - rank(b))) };
}

/** The form's fields in the order the page shows them (the four essentials first); others sort after them. */
export const PAGE_ORDER: readonly string[] = [
  'occurredOn',
  'whatHappened',
  'resourcePressure',
  'ladderRung',
  'pressureSources',
  'stage',
  'soWhat',
  'aspiredRung',
  'challenges',
  'principles',
  'nowWhat',
  'embedding',
  'advocacyArgument',
  'advocacyReception',
  'livedExperienceInvolved',
  'tags',
];

/** What to do about a field left empty, in the form's words. */
const REQUIRED: Record<string, string> = {
  occurredOn: 'Enter the date it happened',
  whatHappened: 'Describe what happened',
  ladderRung: 'Choose the rung you reached',
  resourcePressure: 'Choose the resource pressure you worked under',
};

/** Every field code a message may carry, longest first, with the label the form shows for it. */
const CODE_NAMES: [string, string][] = Object.entries({
  ...FIELD_LABELS,
  'advocacy.argument': FIELD_LABELS.advocacyArgument,
  'advocacy.reception': FIELD_LABELS.advocacyReception,
}).sort((a, b) => b[0].length - a[0].length);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CODE_PATTERN = new RegExp(`\\b(${CODE_NAMES.map(([code]) => escape(code)).join('|')})\\b`, 'g');

/**
 * The API's message for a field (which names it by its code, as API clients
 * expect) turned into one a person understands: the field as the form labels
 * it, and what to do.
 */
export function formMessage(field: string, apiMessage: string): string {
  const label = FIELD_LABELS[field] ?? field;
  if (/ is required$| must not be empty$/.test(apiMessage) && !apiMessage.startsWith('each '))
    return REQUIRED[field] ?? `${label} is required`;
  if (/must be one of:/.test(apiMessage))
    return field === 'ladderRung' || field === 'resourcePressure'
      ? REQUIRED[field]
      : `${label}: choose from the options shown`;
  // The date's label is a question: its messages name it as "the date it happened".
  const subject = field === 'occurredOn' ? 'The date it happened' : label;
  if (/must be a date written/.test(apiMessage)) return `${subject} must be a real date`;
  if (/must not be before 2000-01-01/.test(apiMessage)) return `${subject} must not be before 1 January 2000`;
  if (field === 'occurredOn' && /must not be in the future/.test(apiMessage))
    return 'The date it happened must not be in the future';
  const names = new Map(CODE_NAMES);
  return apiMessage.replace(CODE_PATTERN, (code) => names.get(code) ?? code).replace(/^./, (c) => c.toUpperCase());
}

export const validateNew = (body: FormBody, now: Date) => validateForm(ReflectionDto, formToReflection(body), now);
/**
 * A change from the form. The form always sends the date, and a reflection cannot lose it: a box cleared is asked
 * for again, not taken as "left as it was" (which would save nothing and say the change was saved).
 */
export async function validateAmend(body: FormBody, now: Date): Promise<FormResult<AmendReflectionDto>> {
  const result = await validateForm(AmendReflectionDto, formToReflection(body), now);
  const date = one(body.occurredOn);
  if (date !== undefined && date.trim() === '')
    return { errors: { ...result.errors, occurredOn: REQUIRED.occurredOn } };
  return result;
}

/**
 * The form sends every text box; a box left as it was is not a change. Sealed text differs every time it is sealed,
 * so the journal counts every text field it is given as changed: the page gives it only those the person changed
 * (an empty box and no text are the same), and the history lists only what they did.
 */
export function withoutUnchangedText<T extends object>(changes: T, current: ReflectionView): T {
  const norm = (value: unknown) => (Array.isArray(value) ? value.join('\n') : ((value as string | null) ?? ''));
  const kept = { ...changes } as Record<string, unknown>;
  for (const field of PERSONAL_FIELDS)
    if (field in kept && norm(kept[field]) === norm(current[field])) delete kept[field];
  return kept as T;
}

/** What the form shows: the values just sent back, or a saved reflection. */
export function formValues(source: FormBody | ReflectionView | undefined): Record<string, unknown> {
  if (!source) return { pressureSources: [], challenges: [], principles: [], tags: '' };
  if ('id' in source && typeof (source as ReflectionView).version === 'number') {
    const r = source as ReflectionView;
    return {
      ...r,
      advocacyArgument: r.advocacy?.argument ?? '',
      advocacyReception: r.advocacy?.reception ?? '',
      livedExperienceInvolved:
        r.livedExperienceInvolved === true ? 'yes' : r.livedExperienceInvolved === false ? 'no' : '',
      tags: r.tags.join(', '),
    };
  }
  const body = source as FormBody;
  return {
    ...body,
    pressureSources: list(body.pressureSources),
    challenges: list(body.challenges),
    principles: list(body.principles),
  };
}
