import { CsrfTokens } from './csrf';

describe('CSRF tokens', () => {
  const csrf = new CsrfTokens('s'.repeat(40));
  const seed = CsrfTokens.newSeed();

  it('accepts the token made for this seed and session', () => {
    expect(csrf.verify(seed, 'session-1', csrf.tokenFor(seed, 'session-1'))).toBe(true);
    expect(csrf.verify(seed, undefined, csrf.tokenFor(seed, undefined))).toBe(true);
  });

  it('refuses a token of another seed, another session, another secret, or none', () => {
    const token = csrf.tokenFor(seed, 'session-1');
    expect(csrf.verify(CsrfTokens.newSeed(), 'session-1', token)).toBe(false);
    expect(csrf.verify(seed, 'session-2', token)).toBe(false);
    expect(csrf.verify(seed, undefined, token)).toBe(false);
    expect(csrf.verify(seed, 'session-1', new CsrfTokens('t'.repeat(40)).tokenFor(seed, 'session-1'))).toBe(false);
    expect(csrf.verify(undefined, 'session-1', token)).toBe(false);
    expect(csrf.verify(seed, 'session-1', undefined)).toBe(false);
    expect(csrf.verify(seed, 'session-1', ['x'])).toBe(false);
    expect(csrf.verify(seed, 'session-1', token.slice(0, -1))).toBe(false);
  });

  it('is bound to the seed, not just any seed with the same session (a tossed cookie needs its own token)', () => {
    expect(csrf.tokenFor('a', 's')).not.toBe(csrf.tokenFor('b', 's'));
    // the seed's length prefix keeps "a|b" + "c" apart from "a" + "b|c"
    expect(csrf.tokenFor('a|b', 'c')).not.toBe(csrf.tokenFor('a', 'b|c'));
  });
});
