import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, PASSWORD, World } from './support/identity';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'login');

/** A real browser signs in through /login and out again; screenshots go to test-artifacts/ (not committed). */
describe('sign-in and sign-out in a browser', () => {
  let running: RunningApp;
  let world: World;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    running = await startApp('browser_login');
    world = await buildWorld(running.app, running.baseUrl);
    browser = await launchChromium(SHOTS);
    page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('sends a signed-out visitor to the sign-in page', async () => {
    await page.goto(`${running.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.getByRole('heading', { name: 'Sign in' }).isVisible()).resolves.toBe(true);
    await shot('1-sign-in');
  });

  it('announces an empty form: a summary that has the focus, links to the fields, and says Error in the title', async () => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    const summary = page.getByRole('alert');
    await expect(summary.textContent()).resolves.toContain('There is a problem');
    await expect(page.evaluate('document.activeElement.className')).resolves.toBe('error-summary');
    await expect(page.title()).resolves.toBe('Error: Sign in · Praxis');
    await summary.getByRole('link', { name: 'Enter your password' }).click();
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('password');
  });

  it('after signing in, opens the page that was asked for — and only a page of this site', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    try {
      await other.goto(`${running.baseUrl}/trends?granularity=quarter`);
      expect(new URL(other.url()).pathname).toBe('/login');
      // A wrong password on the way keeps where it was going.
      await other.getByLabel('Email address').fill(world.workerA.email);
      await other.getByLabel('Password').fill('not the right password');
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForLoadState();
      await other.getByLabel('Password').fill(PASSWORD);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForURL(`${running.baseUrl}/trends?granularity=quarter`);
      // A link that would lead elsewhere after signing in leads to the start page.
      await other.getByRole('button', { name: 'Sign out' }).click();
      await other.waitForURL(/signedOut=1/);
      await other.goto(`${running.baseUrl}/login?next=${encodeURIComponent('//evil.example/')}`);
      await other.getByLabel('Email address').fill(world.workerA.email);
      await other.getByLabel('Password').fill(PASSWORD);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForURL(`${running.baseUrl}/`);
    } finally {
      await context.close();
    }
  });

  it('shows an error beside the form for a wrong password, keeping the email', async () => {
    await page.getByLabel('Email address').fill(world.workerA.email);
    await page.getByLabel('Password').fill('not the right password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Email or password is incorrect');
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(world.workerA.email);
    await shot('2-wrong-password');
  });

  it('signs in with the right password, and the session cookie is HttpOnly and SameSite=Lax', async () => {
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${running.baseUrl}/`);
    await expect(page.getByRole('heading', { name: 'Welcome' }).isVisible()).resolves.toBe(true);
    await expect(page.locator('main').textContent()).resolves.toContain(world.workerA.email);
    const session = (await page.context().cookies()).find((c) => c.name === 'praxis_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // HttpOnly: script in the page cannot read the session.
    expect(await page.evaluate<string>('document.cookie')).not.toContain('praxis_session');
    await shot('3-signed-in');
  });

  it('shows a visible focus ring when moving by keyboard', async () => {
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).toBe('solid');
    await shot('4-keyboard-focus');
  });

  it('signs out with the button and cannot come back without signing in, not even with Back', async () => {
    // A private page: the home page names who is signed in.
    await page.goto(`${running.baseUrl}/`);
    await expect(page.locator('main').textContent()).resolves.toContain(world.workerA.email);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/login\?signedOut=1$/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('You have signed out');
    expect((await page.context().cookies()).some((c) => c.name === 'praxis_session')).toBe(false);
    await shot('5-signed-out');
    // Back (on a shared computer, the next person's first move) asks the server again, which sends them to sign in:
    // private pages are never kept by the browser (Cache-Control: no-store).
    await page.goBack();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(page.locator('main').textContent()).resolves.not.toContain(world.workerA.email);
    await page.goto(`${running.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
  });
});
