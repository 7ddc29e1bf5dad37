import { draftFrom, draftInputs } from './reflection-draft';

/** The sign-in form as a browser sends it back: its own fields, and the draft's hidden inputs as they were rendered. */
const loginFormWith = (inputs: { name: string; value: string }[]) => {
  const form: Record<string, string | string[]> = { _csrf: 't', email: 'a@example.org', password: 'secret words' };
  for (const { name, value } of inputs) {
    const had = form[name];
    form[name] = had === undefined ? value : [had, value].flat();
  }
  return form;
};

describe('a draft carried through the sign-in form', () => {
  it('comes back as the form sent it: text as typed, one choice as a value, several as a list', () => {
    const refused = {
      _csrf: 'old',
      submissionId: 'sub-1',
      occurredOn: '2026-03-09',
      whatHappened: 'Line one,\nline "two" & <three>',
      ladderRung: 'consultation',
      challenges: ['time', 'colleague_buy_in'],
      principles: 'assets',
      soWhat: '',
    };
    const back = draftFrom(loginFormWith(draftInputs(refused)));
    expect(back).toEqual({
      submissionId: 'sub-1',
      occurredOn: '2026-03-09',
      whatHappened: 'Line one,\nline "two" & <three>',
      ladderRung: 'consultation',
      challenges: ['time', 'colleague_buy_in'],
      principles: 'assets',
    });
  });

  it('carries only the reflection form’s fields: never the password, the CSRF token or anything else sent', () => {
    const inputs = draftInputs({ _csrf: 'x', password: 'p', email: 'e', role: 'admin', whatHappened: 'Kept.' });
    expect(inputs).toEqual([{ name: 'draft_whatHappened', value: 'Kept.' }]);
    expect(draftFrom({ email: 'e', password: 'p', draft_password: 'p', draft_role: 'admin' })).toBeUndefined();
  });

  it('is no draft when nothing but the submission id was carried', () => {
    expect(draftFrom(loginFormWith(draftInputs({ submissionId: 'sub-1' })))).toBeUndefined();
    expect(draftFrom(undefined)).toBeUndefined();
  });
});
