import { nextPage, signInFor } from './next-page';

describe('the page to go to after signing in', () => {
  it.each([
    ['/trends?granularity=quarter', '/trends?granularity=quarter'],
    ['/journal/5b1c9a6e-2f0e-4b8e-9a53-0f6f3d1f2a11', '/journal/5b1c9a6e-2f0e-4b8e-9a53-0f6f3d1f2a11'],
    ['/dashboard?team=a&from=2026-01-01', '/dashboard?team=a&from=2026-01-01'],
  ])('follows a path on this site: %s', (asked, followed) => {
    expect(nextPage(asked)).toBe(followed);
  });

  it.each([
    ['//evil.example/x'],
    ['https://evil.example/'],
    ['/\\evil.example'],
    ['javascript:alert(1)'],
    ['evil.example'],
    ['/login'],
    ['/logout'],
    ['/'],
    ['/x\r\nSet-Cookie: a=b'],
    [42],
    [undefined],
  ])('goes to the start page instead of %p', (asked) => {
    expect(nextPage(asked)).toBeUndefined();
  });

  it('sends a signed-out visitor to sign in, remembering the page', () => {
    expect(signInFor('/trends?granularity=quarter')).toBe('/login?next=%2Ftrends%3Fgranularity%3Dquarter');
    expect(signInFor('/')).toBe('/login');
  });
});
