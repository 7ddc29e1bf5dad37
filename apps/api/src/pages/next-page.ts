/**
 * Where to go after signing in: the page a signed-out visitor asked for, carried as `?next=` through the sign-in
 * form. Only a path on this site is followed (never `//elsewhere`, `https://…` or a backslash trick): anything else,
 * and the sign-in and sign-out pages themselves, lead to the start page.
 */
export function nextPage(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 2000 || !value.startsWith('/')) return undefined;
  if (value.includes('\\') || [...value].some((c) => c.charCodeAt(0) < 0x20)) return undefined;
  let url: URL;
  try {
    url = new URL(value, 'http://praxis.invalid');
  } catch {
    return undefined;
  }
  if (url.origin !== 'http://praxis.invalid' || ['/', '/login', '/logout'].includes(url.pathname)) return undefined;
  return url.pathname + url.search;
}

/** The sign-in page's address for a visitor who asked for `path` (a GET of a page). */
export const signInFor = (path: string): string => {
  const next = nextPage(path);
  return next ? `/login?next=${encodeURIComponent(next)}` : '/login';
};
