import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { Database } from '@praxis/common';
import { onServer } from '@praxis/testing';
import { EventStore } from '@praxis/event-store';
import { ExportWorker } from '@praxis/research';
import { reflectionStream } from '@praxis/journal';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, PASSWORD, World } from './support/identity';
import { CookieJar, getPage } from './support/browser-less';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'research');

/** A researcher creates an export on /research with the plain form, sees its report and its files; other roles see 404. */
describe('research exports in a browser', () => {
  let running: RunningApp;
  let world: World;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    // The worker is this test's to run, so the page is seen queued, running and ready.
    running = await startApp('browser_research', { PRAXIS_RUN_PROJECTIONS: 'off' });
    world = await buildWorld(running.app, running.baseUrl, 'rb');
    // Six consenting people in one team and week: one week group of six.
    const store = running.app.get(EventStore);
    for (let i = 0; i < 6; i++) {
      const reflectionId = randomUUID();
      await store.append(reflectionStream(reflectionId), 'no_stream', [
        {
          type: 'ReflectionRecorded',
          data: {
            reflectionId,
            authorId: randomUUID(),
            organisationId: world.orgA,
            teamId: world.teamA1,
            researchConsent: true,
            fields: {
              occurredOn: '2025-05-14',
              ladderRung: 'co_design',
              aspiredRung: null,
              resourcePressure: 'stretched',
              pressureSources: [],
              challenges: ['time'],
              principles: [],
              stage: null,
              embedding: null,
              advocacy: null,
              livedExperienceInvolved: null,
            },
            content: { whatHappened: 'pxe1:x', soWhat: null, nowWhat: null, tags: null },
          },
        },
      ]);
    }
    browser = await launchChromium(SHOTS);
    page = await browser.newPage({ viewport: { width: 1024, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('signs in as a researcher and finds Research exports in the navigation', async () => {
    await page.goto(`${running.baseUrl}/login`);
    await page.getByLabel('Email address').fill(world.researcher.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${running.baseUrl}/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Research exports' }).click();
    await page.waitForURL(`${running.baseUrl}/research`);
    await expect(page.getByRole('heading', { name: 'Research exports', level: 1 }).isVisible()).resolves.toBe(true);
    await expect(page.locator('main').textContent()).resolves.toContain('You have not created an export yet');
    await shot('1-research');
  });

  it('shows the error beside the field for a range that ends before it starts, keeping the input', async () => {
    await page.getByLabel('From').fill('2025-10-01');
    await page.getByLabel('To').fill('2025-03-31');
    await page.getByRole('button', { name: 'Create export' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#from-error').textContent()).resolves.toContain(
      'The "From" date must not be after the "To" date',
    );
    await expect(page.getByLabel('From').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('From').inputValue()).resolves.toBe('2025-10-01');
    await shot('2-bad-range');
  });

  it('names every field at fault at once, each beside its field and in the summary', async () => {
    await page.getByLabel('From').fill('2025-02-10');
    await page.getByLabel('To').fill('2025-05-15');
    await page.getByRole('button', { name: 'Create export' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#from-error').textContent()).resolves.toContain(
      'The "From" date must be the first day of a quarter: the nearest are 2025-01-01 (2025-Q1) and 2025-04-01 (2025-Q2)',
    );
    await expect(page.locator('#to-error').textContent()).resolves.toContain(
      'The "To" date must be the last day of a quarter: the nearest are 2025-03-31 (2025-Q1) and 2025-06-30 (2025-Q2)',
    );
    await expect(page.getByRole('alert').getByRole('listitem').allTextContents()).resolves.toHaveLength(2);
    for (const label of ['From', 'To'])
      await expect(page.getByLabel(label).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByLabel('To').inputValue()).resolves.toBe('2025-05-15');
    await shot('2b-two-bad-fields');
  });

  it('takes a person who opens the form’s address back to the form', async () => {
    await page.goto(`${running.baseUrl}/research/exports`);
    await page.waitForURL(/\/research$/);
    await expect(page.getByRole('button', { name: 'Create export' }).isVisible()).resolves.toBe(true);
  });

  const refreshes = async () => {
    await page.waitForLoadState(); // not in the middle of a reload the page started itself
    return page.locator('meta[http-equiv="refresh"]').count();
  };

  it('creates an export, shows it queued, then being built, refreshing itself without JavaScript until it is ready', async () => {
    await page.getByLabel('From').fill('2025-01-01');
    await page.getByLabel('To').fill('2025-12-31');
    await page.getByRole('button', { name: 'Create export' }).click();
    await page.waitForURL(/\/research\/exports\/[0-9a-f-]{36}$/);
    // Waited for, not checked at once: on a busy machine the page may already be reloading itself (meta refresh).
    await page.getByRole('heading', { name: 'Export of 1 January 2025 to 31 December 2025' }).waitFor();
    await expect(page.getByRole('status').innerText()).resolves.toContain('Queued');
    expect(await refreshes()).toBe(1);
    expect(await page.getByRole('link', { name: 'events.ndjson' }).count()).toBe(0);
    await shot('3-queued');
    const worker = running.app.get(ExportWorker);
    if (onServer()) {
      // Hold the build just before it writes its records (a lock on their table), so it is seen running.
      const lock = running.app.get(Database).dataSource.createQueryRunner();
      await lock.startTransaction();
      await lock.query(`LOCK TABLE research_export_pages IN SHARE MODE`);
      const building = worker.drain();
      try {
        // The page reloads itself (meta refresh) until it shows the whole cut read (the build then waits on the lock).
        const status = page.getByText(/Being built: ([1-9]\d*) of \1 events of the log read/);
        await status.waitFor();
        const [, done, total] = /(\d+) of (\d+)/.exec(await status.innerText())!;
        expect(Number(done)).toBe(Number(total));
        expect(Number(total)).toBeGreaterThan(6);
        expect(await refreshes()).toBe(1);
        await shot('3-running');
      } finally {
        await lock.commitTransaction();
        await lock.release();
      }
      await building;
    } else {
      await worker.drain();
    }
    // Ready: the page reloads itself once more, and stops.
    await page.locator('dl.report').waitFor();
    expect(await refreshes()).toBe(0);
  });

  it('shows the ready export with its report and its three files', async () => {
    await expect(page.getByRole('status').innerText()).resolves.toBe(
      'Ready: 6 records, from the log as it was when you asked for the export.',
    );
    const report = await page.locator('dl.report').innerText();
    expect(report?.replace(/\s+/g, ' ')).toContain('Records in the files 6');
    expect(report?.replace(/\s+/g, ' ')).toContain('Smallest group allowed (k) 5 people');
    for (const file of ['events.ndjson', 'events.csv', 'datapackage.json']) {
      await expect(page.getByRole('link', { name: file }).isVisible()).resolves.toBe(true);
    }
    await shot('3-export');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'events.ndjson' }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const lines = Buffer.concat(chunks).toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(JSON.parse(lines[0])).toMatchObject({ period: '2025-W20', periodGranularity: 'week', ladderRungOrdinal: 6 });
    await page.getByRole('link', { name: 'All exports' }).click();
    await page.waitForURL(`${running.baseUrl}/research`);
    expect(await page.locator('table.data-table tbody tr').count()).toBe(1);
    await shot('4-list');
  });

  it('answers a worker with 404 on the research pages', async () => {
    const jar = new CookieJar();
    const context = await browser.newContext();
    const other = await context.newPage();
    await other.goto(`${running.baseUrl}/login`);
    await other.getByLabel('Email address').fill(world.workerA.email);
    await other.getByLabel('Password').fill(PASSWORD);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.waitForURL(`${running.baseUrl}/`);
    for (const c of await context.cookies()) jar.set(c.name, c.value);
    expect((await getPage(running.baseUrl, '/research', jar)).status).toBe(404);
    expect(await other.getByRole('link', { name: 'Research exports' }).count()).toBe(0);
    await context.close();
  });
});
