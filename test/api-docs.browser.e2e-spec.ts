import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, ConsoleMessage, Page } from 'playwright-core';
import { startApp, RunningApp } from './support/running-app';

const CHROMIUM = process.env.PRAXIS_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '..', 'test-artifacts', 'api-docs');

/** The Swagger UI at /api/docs renders under the app's Content-Security-Policy, from local files only; screenshot in test-artifacts/. */
describe('the API docs page in a browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const requested: string[] = [];
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: install the chromium package (or set PRAXIS_CHROMIUM)`);
    mkdirSync(SHOTS, { recursive: true });
    running = await startApp('browser_api_docs');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (m: ConsoleMessage) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requested.push(r.url()));
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  it('renders the operations of the API with no console errors (no CSP violations)', async () => {
    const res = await page.goto(`${running.baseUrl}/api/docs`);
    expect(res?.status()).toBe(200);
    await page.locator('.swagger-ui .opblock').first().waitFor({ timeout: 15_000 });
    await expect(page.locator('.swagger-ui .info .title').textContent()).resolves.toContain('Praxis API');
    await expect(
      page.locator('.opblock-summary-path[data-path="/api/reflections/{id}"]').count(),
    ).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: /Authorize/ }).isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(SHOTS, '1-api-docs.png'), fullPage: false });
    expect(problems).toEqual([]);
    // Everything came from the app itself: no CDN, no online validator.
    expect(requested.filter((url) => !url.startsWith(running.baseUrl))).toEqual([]);
  });

  it('opens an operation and shows its request body schema', async () => {
    await page.locator('.opblock-post .opblock-summary-path[data-path="/api/reflections"]').click();
    const body = page.locator('.opblock-post.is-open .opblock-section-request-body');
    await body.waitFor();
    await body.getByText('Schema', { exact: true }).click();
    await expect(body.textContent()).resolves.toContain('ladderRung');
    await body.scrollIntoViewIfNeeded();
    await body.screenshot({ path: join(SHOTS, '2-record-reflection-body.png') });
    expect(problems).toEqual([]);
  });
});
