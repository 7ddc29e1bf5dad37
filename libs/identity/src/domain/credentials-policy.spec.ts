import { assertAcceptableEmail, assertAcceptablePassword } from './credentials-policy';

describe('credentials policy', () => {
  it('wants passwords of 12 to 256 characters, counted as people count them', () => {
    expect(() => assertAcceptablePassword('x'.repeat(11))).toThrow('at least 12');
    expect(() => assertAcceptablePassword('x'.repeat(12))).not.toThrow();
    // 11 emoji are 22 UTF-16 units but 11 characters: still too short.
    expect(() => assertAcceptablePassword('🔑'.repeat(11))).toThrow('at least 12');
    expect(() => assertAcceptablePassword('x'.repeat(257))).toThrow('at most 256');
  });

  it('wants something shaped like an email address', () => {
    expect(() => assertAcceptableEmail('ada@example.org')).not.toThrow();
    for (const bad of [
      'ada',
      'ada@',
      '@example.org',
      'ada@example',
      'a da@example.org',
      `${'a'.repeat(250)}@example.org`,
    ]) {
      expect(() => assertAcceptableEmail(bad)).toThrow('email');
    }
  });
});
