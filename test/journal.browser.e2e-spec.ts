import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { startApp, RunningApp } from './support/running-app';
import { seriousViolations } from './support/axe';
import { launchChromium, signIn } from './support/browser';
import { buildWorld, call, PASSWORD, World } from './support/identity';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'journal');
/** The form's field codes (plain identifiers, no metacharacters) as whole words. */
const FIELD_CODES = new RegExp(
  `\\b(${[
    'occurredOn',
    'whatHappened',
    'soWhat',
    'nowWhat',
    'ladderRung',
    'aspiredRung',
    'resourcePressure',
    'pressureSources',
    'challenges',
    'principles',
    'livedExperienceInvolved',
    'advocacy',
  ].join('|')})\\b`,
);

/** A worker in a real browser: the form (with and without JavaScript), the journal's filters and search, one entry, and the trends. */
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
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await signIn(page, running.baseUrl, world.workerA.email, PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const shot = (name: string, p: Page = page) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const reflections = async () =>
    (await running.app.get(DataSource).query(`SELECT count(*)::int AS n FROM journal_reflections`))[0].n as number;
  const post = async (token: string, body: Record<string, unknown>) => {
    const res = await call(running.baseUrl, 'POST', '/api/reflections', {
      token,
      body: { resourcePressure: 'stretched', ladderRung: 'engagement', ...body },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const rowsShown = async () => page.locator('#journal-table tbody tr').allTextContents();

  it('answers an empty form in the form’s words, beside each field and in the summary, and saves nothing', async () => {
    await page.getByRole('link', { name: 'New reflection' }).click();
    await page.getByLabel('When did it happen?').fill('');
    await page.getByRole('button', { name: 'Save reflection' }).first().click();
    await page.waitForLoadState();
    const summary = (await page.getByRole('alert').textContent())!;
    expect(summary).toContain('There is a problem');
    // The title says it first, and the summary has the focus, so a screen reader starts there.
    await expect(page.title()).resolves.toBe('Error: New reflection · Praxis');
    await expect(page.evaluate('document.activeElement.className')).resolves.toBe('error-summary');
    expect(summary).toContain('Describe what happened');
    expect(summary).toContain('Choose the rung you reached');
    // In the page's order: pressure comes before the rung on the form, so in the summary too.
    expect(summary.indexOf('Choose the resource pressure')).toBeLessThan(summary.indexOf('Choose the rung'));
    expect(summary).not.toMatch(FIELD_CODES);
    const beside = await page.locator('.field .error-message').allTextContents();
    expect(beside.join(' ')).toContain('Describe what happened');
    expect(beside.join(' ')).not.toMatch(FIELD_CODES);
    // The summary's links lead to the fields.
    await page.getByRole('link', { name: 'Describe what happened' }).click();
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('whatHappened');
    // A choice's link leads to its group of choices, whose legend is read out.
    await page.getByRole('link', { name: 'Choose the resource pressure' }).click();
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('resourcePressure');
    await page.getByRole('link', { name: 'Choose the rung you reached' }).click();
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('ladderRung');
    expect(await reflections()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('1-form-with-errors');
  });

  it('keeps what was typed, and opens the section that holds it', async () => {
    await page.goto(`${running.baseUrl}/journal/new`);
    await expect(page.locator('#section-so-what').getAttribute('open')).resolves.toBeNull();
    await page.locator('#section-so-what summary').click();
    await page.getByLabel('What does it mean?').fill('Residents set the agenda for the first time.');
    await page.getByLabel('What happened?').fill('Co-chaired the service users’ panel <b>bold?</b>');
    await page.getByRole('button', { name: 'Save reflection' }).first().click();
    await page.waitForLoadState();
    await expect(page.locator('#section-so-what').getAttribute('open')).resolves.not.toBeNull();
    await expect(page.getByLabel('What does it mean?').inputValue()).resolves.toBe(
      'Residents set the agenda for the first time.',
    );
    await expect(page.getByLabel('What happened?').inputValue()).resolves.toBe(
      'Co-chaired the service users’ panel <b>bold?</b>',
    );
    expect(await reflections()).toBe(0);
  });

  it('fits the four essentials and the save button on one 1280×900 screen', async () => {
    await page.goto(`${running.baseUrl}/journal/new`);
    await page.screenshot({ path: join(SHOTS, '2-form-first-screen.png') });
    for (const label of ['When did it happen?', 'What happened?'])
      expect((await page.getByLabel(label).boundingBox())!.y).toBeLessThan(900);
    const lastRung = (await page.locator('#ladderRung-co_production').boundingBox())!;
    const lastPressure = (await page.locator('#resourcePressure-survival').boundingBox())!;
    const save = (await page.getByRole('button', { name: 'Save reflection' }).first().boundingBox())!;
    expect(
      Math.max(lastRung.y + lastRung.height, lastPressure.y + lastPressure.height, save.y + save.height),
    ).toBeLessThanOrEqual(900);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('saves a reflection with only the four essentials, JavaScript off, and lists it with its labels', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
    const plain = await context.newPage();
    await signIn(plain, running.baseUrl, world.workerA.email, PASSWORD);
    await plain.goto(`${running.baseUrl}/journal/new`);
    await plain.getByLabel('When did it happen?').fill('2026-01-05');
    await plain.getByLabel('What happened?').fill('Planned the allotment open day with two tenants.');
    await plain.locator('#ladderRung-co_design').check();
    await plain.locator('#resourcePressure-stretched').check();
    await plain.getByRole('button', { name: 'Save reflection' }).first().click();
    await plain.waitForURL(/\/journal\/[0-9a-f-]+\?saved=1/);
    expect(await reflections()).toBe(1);
    await expect(plain.getByRole('status').textContent()).resolves.toContain('saved');
    await expect(plain.locator('h1').textContent()).resolves.toBe('Reflection of 5 January 2026');
    await plain.goto(`${running.baseUrl}/journal`);
    const row = (await plain.locator('#journal-table tbody tr').first().textContent())!;
    expect(row).toContain('6. Co-design');
    expect(row).toContain('2. Stretched');
    expect(row).toContain('5 January 2026');
    await shot('3-journal-no-js', plain);
    await context.close();
  });

  it('filters by date, rung, pressure and challenge, and searches my own text — never anyone else’s', async () => {
    const a = world.workerA.token;
    await post(a, {
      occurredOn: '2026-02-02',
      whatHappened: 'Café session: the tenants’ panel chose the menu.',
      ladderRung: 'co_production',
      resourcePressure: 'resourced',
      challenges: ['time'],
    });
    await post(a, {
      occurredOn: '2026-02-09',
      whatHappened: 'Budget cut meeting.',
      soWhat: 'We dropped the allotment plan.',
      ladderRung: 'informing',
      resourcePressure: 'survival',
      challenges: ['reduced_resources'],
    });
    await post(a, {
      occurredOn: '2025-11-10',
      whatHappened: 'Consulted on opening hours.',
      ladderRung: 'consultation',
      resourcePressure: 'severe',
      tags: ['allotment'],
    });
    // Another worker's reflection with the same words: never found.
    await post(world.workerB.token, {
      occurredOn: '2026-02-03',
      whatHappened: 'Allotment and café with the residents of Elm Court.',
      ladderRung: 'co_design',
    });
    await page.goto(`${running.baseUrl}/journal`);
    await page.getByLabel('Search my text').fill('allotment');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/q=allotment/);
    let rows = await rowsShown();
    expect(rows).toHaveLength(3); // what happened, so what, and a tag
    expect(rows.join(' ')).not.toContain('Elm Court');
    await expect(page.locator('#result-count').textContent()).resolves.toContain('3 reflections match');
    await page.getByLabel('Search my text').fill('CAFE');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/q=CAFE/);
    rows = await rowsShown();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('7. Co-production');
    expect(rows[0]).toContain('1. Resourced');
    await page.getByLabel('Search my text').fill('');
    await page.getByLabel('Rung reached').selectOption({ label: '3. Informing' });
    await page.getByRole('button', { name: 'Find' }).click();
    rows = await rowsShown();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Budget cut meeting');
    await page.getByLabel('Rung reached').selectOption('');
    await page.getByLabel('Resource pressure').selectOption({ label: '3. Severe' });
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await rowsShown()).toEqual([expect.stringContaining('Consulted on opening hours')]);
    await page.getByLabel('Resource pressure').selectOption('');
    await page.getByLabel('What got in the way').selectOption({ label: 'Reduced resources' });
    await page.getByRole('button', { name: 'Find' }).click();
    expect(await rowsShown()).toEqual([expect.stringContaining('Budget cut meeting')]);
    await page.getByLabel('What got in the way').selectOption('');
    await page.getByLabel('From').fill('2026-01-01');
    await page.getByLabel('To').fill('2026-02-05');
    await page.getByRole('button', { name: 'Find' }).click();
    rows = await rowsShown();
    expect(rows.map((r) => r.trim().slice(0, 20))).toEqual([
      expect.stringContaining('2 February 2026'),
      expect.stringContaining('5 January 2026'),
    ]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('4-journal-filtered');
    // A filter that makes no sense is a message, not an error page.
    await page.goto(`${running.baseUrl}/journal?from=2026-03-01&to=2026-01-01`);
    await expect(page.locator('#filter-error').textContent()).resolves.toContain(
      '"From" date must not be after the "To" date',
    );
  });

  it('downloads my reflections as CSV, labels and all, and only mine', async () => {
    const res = await page.request.get(`${running.baseUrl}/journal/export.csv?q=allotment`);
    expect(res.status()).toBe(200);
    expect(res.headers()['content-disposition']).toContain('attachment');
    expect(res.headers()['cache-control']).toBe('no-store');
    const csv = await res.text();
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toContain('Date,What happened?');
    expect(lines).toHaveLength(4);
    expect(csv).toContain('6. Co-design');
    expect(csv).toContain('4. Survival');
    expect(csv).not.toContain('Elm Court');
    expect(csv).not.toMatch(/co_design|survival,/);
  });

  it('pages newer as well as older', async () => {
    for (let i = 0; i < 24; i++)
      await post(world.workerA.token, {
        occurredOn: `2024-01-${String(i + 1).padStart(2, '0')}`,
        whatHappened: `Weekly drop-in number ${i + 1}.`,
      });
    await page.goto(`${running.baseUrl}/journal`);
    const first = await rowsShown();
    expect(first).toHaveLength(25);
    await expect(page.getByRole('link', { name: 'Newer reflections' }).count()).resolves.toBe(0);
    // Printed, the page says it is one page of several; on screen the pager says so instead.
    await expect(page.locator('#print-scope').isVisible()).resolves.toBe(false);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#print-scope').innerText()).resolves.toBe(
      'This printout holds the 25 reflections of this page, not all 28: print the other pages too, or download the CSV for all of them.',
    );
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('link', { name: 'Older reflections' }).click();
    const second = await rowsShown();
    expect(second).toHaveLength(3);
    expect(second.join(' ')).toContain('Weekly drop-in number 1.');
    await expect(page.getByRole('link', { name: 'Older reflections' }).count()).resolves.toBe(0);
    await page.getByRole('link', { name: 'Newer reflections' }).click();
    expect(await rowsShown()).toEqual(first);
  });

  it('shows a reflection’s history — what changed, and when — and prints as a clean record', async () => {
    const id = await post(world.workerA.token, {
      occurredOn: '2026-03-02',
      whatHappened: 'Tenants’ forum.',
      ladderRung: 'consultation',
    });
    const patch = await call(running.baseUrl, 'PATCH', `/api/reflections/${id}`, {
      token: world.workerA.token,
      body: { resourcePressure: 'severe', challenges: ['colleague_buy_in'], soWhat: 'Managers were not on board.' },
      headers: { 'if-match': '1' },
    });
    expect(patch.status).toBe(200);
    await page.goto(`${running.baseUrl}/journal/${id}`);
    const history = (await page.locator('#history').innerText()).replace(/\s+/g, ' ');
    expect(history).toMatch(/Written on \d{1,2} \w+ \d{4}, \d{2}:\d{2} \(version 1\)/);
    expect(history).toMatch(/Changed on \d{1,2} \w+ \d{4}, \d{2}:\d{2} \(version 2\)/);
    expect(history).toContain('Resource pressure 3. Severe');
    expect(history).toContain('What got in the way Colleague buy-in');
    expect(history).toContain('What does it mean? Managers were not on board.');
    expect(history).not.toMatch(FIELD_CODES);
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Withdraw this reflection' }).isVisible()).resolves.toBe(false);
    await expect(page.locator('.summary').isVisible()).resolves.toBe(true);
    await shot('5-printed-entry');
    await page.emulateMedia({ media: 'screen' });
  });

  it('lists, for a change saved with the form, only what it changed — not the text boxes left as they were', async () => {
    const id = await post(world.workerA.token, {
      occurredOn: '2026-03-04',
      whatHappened: 'Budget meeting.',
      ladderRung: 'informing',
    });
    await page.goto(`${running.baseUrl}/journal/${id}`);
    await page.getByText('Change this reflection').click();
    await page.getByText('So what? — what it means').click();
    await page.getByLabel('What does it mean?').fill('We were told, not asked.');
    await page.getByRole('button', { name: 'Save changes' }).first().click();
    await page.waitForURL(/amended=1/);
    const changed = await page.locator('#history > li').last().locator('dt').allTextContents();
    expect(changed).toEqual(['What does it mean?']);
  });

  it('withdraws a reflection only once the box is ticked, keeping a long unbroken word inside the page', async () => {
    const id = await post(world.workerA.token, {
      occurredOn: '2026-03-03',
      whatHappened: `A link pasted whole: https://example.org/${'x'.repeat(400)}`,
    });
    await page.goto(`${running.baseUrl}/journal/${id}`);
    // The long word wraps: the page is no wider than the window.
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      await page.evaluate<number>('window.innerWidth'),
    );
    await page.getByRole('button', { name: 'Withdraw this reflection' }).click();
    await page.waitForLoadState();
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('confirm-withdraw');
    await expect(page.locator('#confirm-withdraw-error').textContent()).resolves.toBe(
      'Tick the box to confirm that you want to withdraw this reflection',
    );
    // Nothing withdrawn: it is still there, and still in the journal.
    expect((await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token })).status).toBe(
      200,
    );
    await page.getByLabel('I want to withdraw this reflection').check();
    await page.getByRole('button', { name: 'Withdraw this reflection' }).click();
    await page.waitForURL(/\/journal\?withdrawn=1/);
    // It promises only what withdrawing does: figures leaders were already shown stay (see the erase page).
    const notice = (await page.getByRole('status').textContent())!;
    expect(notice).toContain('for periods its leaders have not been shown yet');
    expect(notice).not.toContain('any trend');
    expect((await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token })).status).toBe(
      404,
    );
  });

  it('keeps every link of the navigation and the save button whole on a phone’s screen', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await page.goto(`${running.baseUrl}/journal/new`);
      const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
      expect(await links.allTextContents()).toEqual(['Home', 'My journal', 'New reflection', 'My trends', 'My data']);
      for (const box of await Promise.all((await links.all()).map((l) => l.boundingBox())))
        expect(box!.x + box!.width).toBeLessThanOrEqual(375);
      // The save button's label is whole: the button is as wide as its text needs.
      const save = page.getByRole('button', { name: 'Save reflection' }).first();
      expect(await save.evaluate((b) => b.scrollWidth <= b.clientWidth)).toBe(true);
      await shot('6-phone-navigation');
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });

  it('draws my trends with embedding and advocacy sections, each a chart with a table, on the shared calendar', async () => {
    await post(world.workerA.token, {
      occurredOn: '2026-02-10',
      whatHappened: 'Policy meeting.',
      embedding: 'organisational_policy',
      advocacy: { argument: 'better_outcomes', reception: 'receptive' },
      livedExperienceInvolved: true,
    });
    consoleErrors.length = 0;
    await page.goto(`${running.baseUrl}/trends`);
    const charts = ['trend-chart', 'embedding-chart', 'advocacy-chart'];
    await page.waitForFunction(
      `${JSON.stringify(charts)}.every((id) => {
        const c = document.getElementById(id);
        return !!c && c.width > 0 && !!window.Chart && !!window.Chart.getChart(c);
      })`,
    );
    await expect(page.getByRole('heading', { name: 'How embedded is co-production?' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Making the case for co-production' }).count()).resolves.toBe(1);
    const embedding = (await page.locator('#embedding-table').innerText()).replace(/\s+/g, ' ');
    expect(embedding).toContain('Organisational policy');
    expect(embedding).toContain('February 2026');
    // Each month by name in the table by month and on the chart, as in the tables under them.
    expect(await page.locator('#trend-table tbody th').allTextContents()).toContainEqual(
      expect.stringMatching(/^February 2026 \(/),
    );
    expect(
      await page.evaluate<string[]>(`window.Chart.getChart(document.getElementById('trend-chart')).data.labels`),
    ).toContain('Feb 2026');
    const advocacy = (await page.locator('#advocacy-table').innerText()).replace(/\s+/g, ' ');
    expect(advocacy).toMatch(/Better outcomes 1 0 0 0 1/);
    await expect(page.locator('#calendar-note').textContent()).resolves.toContain(
      "months run Monday to Sunday, by the week's Thursday",
    );
    expect(consoleErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('6-trends');
  });

  it('gives back a reflection typed while the session ended: sign in again, and it is there, not saved, to save', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const other = await context.newPage();
    try {
      await signIn(other, running.baseUrl, world.workerA.email, PASSWORD);
      await other.goto(`${running.baseUrl}/journal/new`);
      const before = await reflections();
      const typed = 'A long evening\'s notes on the <tenants> & "residents" panel,\nwritten before the session ended.';
      await other.getByLabel('What happened?').fill(typed);
      await other.getByLabel('When did it happen?').fill('2026-03-09');
      await other.locator('#ladderRung-consultation').check();
      await other.locator('#resourcePressure-severe').check();
      await other.locator('summary', { hasText: 'So what?' }).click(); // the section that holds "what got in the way"
      await other.locator('#challenges-colleague_buy_in').check();
      await other.locator('#challenges-time').check();
      // The session ends meanwhile (it ran out, or a sign-out elsewhere): the browser no longer has it.
      await context.clearCookies({ name: 'praxis_session' });
      await other.getByRole('button', { name: 'Save reflection' }).first().click();
      await other.waitForLoadState();
      await expect(other.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Sign in');
      await expect(other.locator('#draft-notice').innerText()).resolves.toContain('Your reflection is not saved yet');
      expect(await reflections()).toBe(before);
      // A wrong password on the way keeps it too.
      await other.getByLabel('Email address').fill(world.workerA.email);
      await other.getByLabel('Password').fill('not the right password');
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForLoadState();
      await expect(other.locator('#draft-notice').isVisible()).resolves.toBe(true);
      // The page carries it sealed: its source holds none of the words (the next person at a shared computer).
      expect(await other.content()).not.toContain('long evening');
      await expect(other.locator('#discard-draft').getAttribute('href')).resolves.toBe('/login');
      await other.getByLabel('Password').fill(PASSWORD);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForLoadState();
      await expect(other.locator('#restored').innerText()).resolves.toContain('not saved yet');
      await expect(other.getByLabel('What happened?').inputValue()).resolves.toBe(typed);
      await expect(other.getByLabel('When did it happen?').inputValue()).resolves.toBe('2026-03-09');
      await expect(other.locator('#resourcePressure-severe').isChecked()).resolves.toBe(true);
      await expect(other.locator('#challenges-colleague_buy_in').isChecked()).resolves.toBe(true);
      await expect(other.locator('#challenges-time').isChecked()).resolves.toBe(true);
      await expect(other.locator('#ladderRung-consultation').isChecked()).resolves.toBe(true);
      expect(await reflections()).toBe(before);
      await shot('8-draft-given-back', other);
      await other.getByRole('button', { name: 'Save reflection' }).first().click();
      await other.waitForURL(/\/journal\/[0-9a-f-]{36}\?saved=1$/);
      expect(await reflections()).toBe(before + 1);
      await expect(other.locator('.summary').innerText()).resolves.toContain('the <tenants> & "residents" panel');
    } finally {
      await context.close();
    }
  });

  it('gives back a change to a saved reflection typed while the session ended, on that reflection’s page', async () => {
    const id = await post(world.workerA.token, { occurredOn: '2026-03-11', whatHappened: 'The first account.' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const other = await context.newPage();
    try {
      await signIn(other, running.baseUrl, world.workerA.email, PASSWORD);
      await other.goto(`${running.baseUrl}/journal/${id}`);
      await other.getByText('Change this reflection').click();
      await other.getByLabel('What happened?').fill('A fuller account, typed at length before the session ended.');
      await context.clearCookies({ name: 'praxis_session' });
      await other.getByRole('button', { name: 'Save changes' }).first().click();
      await other.waitForLoadState();
      await expect(other.locator('#draft-notice').isVisible()).resolves.toBe(true);
      expect(await other.content()).not.toContain('fuller account');
      await other.getByLabel('Email address').fill(world.workerA.email);
      await other.getByLabel('Password').fill(PASSWORD);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.waitForURL(`${running.baseUrl}/login`); // the sign-in form's own address; the page is the reflection's
      await expect(other.locator('h1').textContent()).resolves.toBe('Reflection of 11 March 2026');
      await expect(other.locator('#restored').innerText()).resolves.toContain('not saved yet');
      await expect(other.getByLabel('What happened?').inputValue()).resolves.toBe(
        'A fuller account, typed at length before the session ended.',
      );
      const before = await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token });
      expect(before.body).toMatchObject({ version: 1, whatHappened: 'The first account.' });
      await other.getByRole('button', { name: 'Save changes' }).first().click();
      await other.waitForURL(/\?amended=1$/);
      const after = await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token });
      expect(after.body).toMatchObject({
        version: 2,
        whatHappened: 'A fuller account, typed at length before the session ended.',
      });
    } finally {
      await context.close();
    }
  });

  it('gives a reflection typed before the session ended to nobody but its author', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const shared = await context.newPage();
    try {
      await signIn(shared, running.baseUrl, world.workerA.email, PASSWORD);
      await shared.goto(`${running.baseUrl}/journal/new`);
      await shared.getByLabel('What happened?').fill('Worker A’s private words about the panel.');
      await shared.getByLabel('When did it happen?').fill('2026-03-10');
      await shared.locator('#ladderRung-consultation').check();
      await shared.locator('#resourcePressure-severe').check();
      await context.clearCookies({ name: 'praxis_session' });
      await shared.getByRole('button', { name: 'Save reflection' }).first().click();
      await shared.waitForLoadState();
      await expect(shared.locator('#draft-notice').isVisible()).resolves.toBe(true);
      // The next person at this computer signs in on that page, as themselves.
      await shared.getByLabel('Email address').fill(world.workerB.email);
      await shared.getByLabel('Password').fill(PASSWORD);
      await shared.getByRole('button', { name: 'Sign in' }).click();
      await shared.waitForURL(`${running.baseUrl}/journal/new`);
      await expect(shared.locator('#restored').count()).resolves.toBe(0);
      await expect(shared.getByLabel('What happened?').inputValue()).resolves.toBe('');
      expect(await shared.content()).not.toContain('private words');
    } finally {
      await context.close();
    }
  });

  it('speaks a worker’s words: hints that explain the question, a repeated tag called a tag, a reception on its own', async () => {
    await page.goto(`${running.baseUrl}/journal/new`);
    await expect(page.locator('#pressureSources-hint').textContent()).resolves.toBe(
      'Tick any that were short or got in the way.',
    );
    await expect(page.locator('#embedding-hint').textContent()).resolves.toBe(
      'Is this a one-off, or becoming how you work?',
    );
    await expect(page.locator('#advocacyArgument-hint').textContent()).resolves.toBe(
      'If you argued for working this way, the main reason you gave.',
    );
    await expect(page.locator('#advocacyReception-hint').textContent()).resolves.toBe(
      'How the people you made the case to responded.',
    );
    await expect(page.locator('form.reflection-form').textContent()).resolves.not.toMatch(
      /Praxis [a-z-]+ (scale|codes)/,
    );
    await page.getByLabel('When did it happen?').fill('2026-03-02');
    await page.getByLabel('What happened?').fill('Asked the board to fund peer mentors.');
    await page.locator('#ladderRung-consultation').check();
    await page.locator('#resourcePressure-severe').check();
    await page.locator('#section-now-what summary').click();
    await page.locator('#advocacyReception-resistant').check();
    await page.getByLabel('Tags (optional)').fill('board, board');
    await page.getByRole('button', { name: 'Save reflection' }).first().click();
    await page.waitForLoadState();
    await expect(page.locator('#tags-error').textContent()).resolves.toBe(
      'Error: Tags must not list the same tag twice',
    );
    await page.getByLabel('Tags (optional)').fill('board');
    await page.getByRole('button', { name: 'Save reflection' }).first().click();
    await page.waitForURL(/\/journal\/[0-9a-f-]+\?saved=1/);
    const pairs = async (list: string) =>
      page
        .locator(`${list} dt`)
        .evaluateAll((dts) => dts.map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`));
    const shown = await pairs('dl:not(.history dl)');
    expect(shown).toContain('How the case was received: Resistant');
    expect(shown.join('\n')).not.toContain('The case you made');
    const written = await pairs('#history dl');
    expect(written).toContain('How the case was received: Resistant');
    expect(written.join('\n')).not.toMatch(/The case you made|: received:/);
  });

  it('gives research consent, refuses an unconfirmed erasure, then erases and signs the worker out', async () => {
    await page.getByRole('link', { name: 'My data' }).click();
    await page.getByRole('button', { name: 'Agree to research use' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('saved');
    await expect(page.locator('main').textContent()).resolves.toContain('have agreed');
    // Since when, as a person writes it ("30 November 2026, 14:05"), never an ISO timestamp.
    await expect(page.locator('main').textContent()).resolves.toMatch(
      /have agreed \(since \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2}\)/,
    );
    // Stopping takes everything written so far out of research for good: the page says so and asks for a tick.
    await expect(page.locator('#stop-effect').innerText()).resolves.toContain(
      'none of the reflections you have written so far goes into any research export',
    );
    await page.getByRole('button', { name: 'Stop research use' }).click();
    await page.waitForLoadState();
    await expect(page.locator('#confirm-stop-error').textContent()).resolves.toBe(
      'Tick the box to confirm that your reflections so far leave research for good',
    );
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('confirm-stop');
    await expect(page.locator('main').textContent()).resolves.toContain('have agreed');
    await page.getByLabel('I understand: my reflections so far leave research for good').check();
    await page.getByRole('button', { name: 'Stop research use' }).click();
    await expect(page.getByRole('status').textContent()).resolves.toContain('saved');
    await expect(page.locator('main').textContent()).resolves.toContain('have not agreed');
    await page.getByRole('button', { name: 'Agree to research use' }).click();
    await expect(page.locator('main').textContent()).resolves.toContain('have agreed');
    await page.getByRole('button', { name: 'Erase my data' }).click();
    await expect(page.locator('#confirm-error').textContent()).resolves.toContain('Tick the box');
    // The refusal is where the person is, not at the top of a long page: the box in error has the focus.
    await expect(page.evaluate('document.activeElement.id')).resolves.toBe('confirm');
    await shot('7-my-data');
    await page.getByLabel('I understand: erase everything I have written and close my account').check();
    await page.getByRole('button', { name: 'Erase my data' }).click();
    await page.waitForURL(/\/login\?erased=1/);
    await expect(page.getByRole('status').textContent()).resolves.toContain('erased');
    expect(
      await call(running.baseUrl, 'GET', '/api/reflections', { token: world.workerB.token }).then(
        (r) => r.body.items.length,
      ),
    ).toBe(1);
  });
});
