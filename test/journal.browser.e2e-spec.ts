import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { startApp, RunningApp } from './support/running-app';
import { launchChromium, signIn } from './support/browser';
import { buildWorld, PASSWORD, World } from './support/identity';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'journal');

/** A worker in a real browser: the form with and without errors, the journal, one entry, and the trends chart. */
describe('the journal in a browser', () => {
  let running: RunningApp;
  let world: World;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    running = await startApp('browser_journal');
    world = await buildWorld(running.app, running.baseUrl, 'bj');
    browser = await launchChromium(SHOTS);
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await signIn(page, running.baseUrl, world.workerA.email, PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const reflections = async () => (await running.app.get(DataSource).query(`SELECT count(*)::int AS n FROM journal_reflections`))[0].n as number;

  it('shows errors beside their fields, keeps what was typed, and saves nothing', async () => {
    await page.getByRole('link', { name: 'New reflection' }).click();
    await page.getByLabel('What happened?').fill('Co-chaired the service users’ panel <b>bold?</b>');
    await page.getByLabel('6. Co-design').first().check(); // the rung reached
    await page.getByLabel('Time', { exact: true }).nth(1).check(); // a challenge
    await page.getByRole('button', { name: 'Save reflection' }).click();
    await page.waitForLoadState();
    const pressure = page.locator('.field', { has: page.locator('legend', { hasText: 'Resource pressure' }) });
    await expect(pressure.locator('.error-message').textContent()).resolves.toContain('resourcePressure is required');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('There is a problem');
    await expect(page.getByLabel('What happened?').inputValue()).resolves.toBe('Co-chaired the service users’ panel <b>bold?</b>');
    await expect(page.getByLabel('6. Co-design').first().isChecked()).resolves.toBe(true);
    expect(await reflections()).toBe(0);
    await shot('1-form-with-errors');
  });

  it('saves once the form is right, even when submitted twice, and shows the entry in the journal', async () => {
    await page.getByLabel('Stretched').check();
    await page.getByLabel('What does it mean?').fill('Residents set the agenda for the first time.');
    const form = page.locator('form.reflection-form');
    // A double submit: the same form (same submission id) posted twice.
    // Runs in the page (no DOM types here): the form's fields as the browser would post them.
    const body = await form.evaluate((f) => {
      const g = globalThis as any; // runs in the page
      return new g.URLSearchParams(new g.FormData(f)).toString() as string;
    });
    const post = () => page.evaluate(async (b) => (await fetch('/journal/new', { method: 'POST', body: b, headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual' })).type, body);
    expect([await post(), await post()]).toEqual(['opaqueredirect', 'opaqueredirect']); // both answered with a redirect
    await page.getByRole('button', { name: 'Save reflection' }).click();
    await page.waitForURL(/\/journal\/[0-9a-f-]+\?saved=1/);
    expect(await reflections()).toBe(1);
    await expect(page.getByRole('status').textContent()).resolves.toContain('saved');
    // Text is shown as text, never as markup.
    await expect(page.locator('.prose').first().textContent()).resolves.toContain('<b>bold?</b>');
    await shot('2-saved-entry');
    await page.getByRole('link', { name: 'My journal', exact: true }).click();
    await expect(page.locator('table.data tbody tr').count()).resolves.toBe(1);
    await expect(page.locator('table.data').textContent()).resolves.toContain('Co-chaired the service users');
    await shot('3-journal');
  });

  it('draws the trends chart, with a table of the same figures', async () => {
    consoleErrors.length = 0;
    await page.getByRole('link', { name: 'My trends' }).click();
    // Chart.js has drawn on the canvas (evaluated in the page).
    await page.waitForFunction(() => {
      const g = globalThis as any; // runs in the page
      const c = g.document.getElementById('trend-chart');
      return !!c && c.width > 0 && !!g.Chart && g.Chart.getChart(c) !== undefined;
    });
    await expect(page.locator('#trend-table tbody tr').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('#trend-table').textContent()).resolves.toContain('6'); // the co-design rung
    expect(consoleErrors).toEqual([]);
    await shot('4-trends');
  });

  it('gives research consent, refuses an unconfirmed erasure, then erases and signs the worker out', async () => {
    await page.getByRole('link', { name: 'My data' }).click();
    await page.getByRole('button', { name: 'Agree to research use' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('saved');
    await expect(page.locator('main').textContent()).resolves.toContain('have agreed');
    await page.getByRole('button', { name: 'Erase my data' }).click();
    await expect(page.locator('.error-message').textContent()).resolves.toContain('Tick the box');
    await shot('5-my-data');
    await page.getByLabel('I understand').check();
    await page.getByRole('button', { name: 'Erase my data' }).click();
    await page.waitForURL(/\/login\?erased=1/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('erased');
    expect(await reflections()).toBe(0);
  });
});
