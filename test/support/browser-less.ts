/** A cookie jar and form posts over fetch: enough to drive the web pages without a browser. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();
  /** The raw Set-Cookie lines of the last response, for asserting attributes. */
  lastSetCookie: string[] = [];

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  take(res: Response): void {
    this.lastSetCookie = res.headers.getSetCookie();
    for (const line of this.lastSetCookie) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1).trim());
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

export interface Page {
  status: number;
  html: string;
  location: string | null;
  headers: Headers;
}

export async function getPage(
  baseUrl: string,
  path: string,
  jar: CookieJar,
  headers: Record<string, string> = {},
): Promise<Page> {
  const res = await fetch(`${baseUrl}${path}`, { headers: { cookie: jar.header(), ...headers }, redirect: 'manual' });
  jar.take(res);
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
}

export async function postForm(
  baseUrl: string,
  path: string,
  jar: CookieJar,
  fields: Record<string, string>,
): Promise<Page> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  jar.take(res);
  return { status: res.status, html: await res.text(), location: res.headers.get('location'), headers: res.headers };
}

/** The CSRF token of the first form on a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!match) throw new Error('no CSRF field on this page');
  return match[1];
}

/** Signs a browser in with the /login form (its CSRF token read from the page first); the answer to the post. */
export async function signInWithForm(baseUrl: string, jar: CookieJar, email: string, password: string): Promise<Page> {
  const form = await getPage(baseUrl, '/login', jar);
  return postForm(baseUrl, '/login', jar, { _csrf: csrfOf(form.html), email, password });
}
