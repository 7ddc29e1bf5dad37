import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { ProjectionHost } from '@praxis/event-store';
import { DEMO_PASSWORD } from '@praxis/identity';
import { seriousViolations } from './support/axe';
import { launchChromium, signIn } from './support/browser';
import { startApp, RunningApp } from './support/running-app';

const SHOTS = join(__dirname, '..', 'test-artifacts', 'dashboard');

/** The demo leader in a real browser: the dashboard's charts, tables, choosers and hidden periods. */
describe('the leader dashboard in a browser', () => {
  let running: RunningApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    running = await startApp('browser_dashboard', { PRAXIS_DEMO: 'on' });
    await running.app.get(ProjectionHost).catchUpAll();
    browser = await launchChromium(SHOTS);
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await signIn(page, running.baseUrl, 'leader@riverside.example', DEMO_PASSWORD);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await running?.close();
  });

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** Which charts Chart.js has drawn (evaluated in the page, hence a string: the tests have no DOM types). */
  const drawn = (): Promise<{ id: string; drawn: boolean }[]> =>
    page.evaluate(`['trend-chart', 'with-chart', 'practice-chart', 'challenge-chart', 'embedding-chart', 'advocacy-chart'].map((id) => {
      const canvas = document.getElementById(id);
      return { id, drawn: !!canvas && !!window.Chart.getChart(canvas) && canvas.width > 0 };
    })`);

  it('opens from the navigation and draws every chart, with a table under each', async () => {
    await page.getByRole('link', { name: 'Dashboard', exact: true }).click();
    await page.waitForURL(`${running.baseUrl}/dashboard`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Organisation dashboard');
    expect((await drawn()).filter((c) => !c.drawn)).toEqual([]);
    for (const id of [
      'trend-table',
      'with-table',
      'practice-table',
      'challenge-table',
      'embedding-table',
      'embedding-level-table',
      'advocacy-table',
      'advocacy-level-table',
    ])
      expect(await page.locator(`#${id} tbody tr`).count()).toBeGreaterThan(0);
    await expect(page.locator('#trend-table tbody tr:not(.suppressed)').count()).resolves.toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('1-organisation-by-month');
  });

  it('says periods and the pressure–rung association in plain words, in its tables and on its charts', async () => {
    // Months by name, with the days they cover; the page's data keeps the codes ("2026-01").
    const data = JSON.parse((await page.locator('#dashboard').getAttribute('data-dashboard'))!);
    const codes: string[] = data.periods.map((p: { period: string }) => p.period);
    expect(codes.every((c) => /^\d{4}-\d{2}$/.test(c))).toBe(true);
    // "2026-01" → "January 2026", "Jan 2026"
    const named = (code: string, month: 'long' | 'short') =>
      new Date(`${code}-15T00:00:00Z`)
        .toLocaleString('en-GB', { month, timeZone: 'UTC' })
        .slice(0, month === 'short' ? 3 : undefined) + ` ${code.slice(0, 4)}`;
    const periods = await page.locator('#trend-table tbody th').allTextContents();
    expect(periods.map((p) => p.replace(/ \(.*\)$/, ''))).toEqual(codes.map((c) => named(c, 'long')));
    expect(periods.filter((p) => /\d{4}-\d{2}/.test(p))).toEqual([]);
    // A shown month says which days it covers: "January 2026 (29 December 2025 – 1 February 2026)".
    const shown = (await page.locator('#trend-table tbody tr:not(.suppressed) th').first().textContent())!;
    expect(shown).toMatch(/^[A-Z][a-z]+ \d{4} \(\d{1,2} [A-Z][a-z]+ \d{4} – \d{1,2} [A-Z][a-z]+ \d{4}\)$/);
    for (const table of ['with-table', 'practice-table', 'embedding-table'])
      expect(await page.locator(`#${table} tbody th`).allTextContents()).toContain(named(codes[0], 'long'));
    for (const chart of ['trend-chart', 'with-chart', 'embedding-chart'])
      expect(
        (await page.evaluate<string[]>(`window.Chart.getChart(document.getElementById('${chart}')).data.labels`))[0],
      ).toMatch(new RegExp(`^${named(codes[0], 'short')}( \\(hidden\\))?$`));
    // The association: a reading in words with its statistic, explained under the table; an empty one says why.
    const heading = (await page.locator('#trend-table thead th').last().textContent())!;
    expect(heading).toContain('Does more pressure go with a lower rung?');
    expect(heading).not.toMatch(/Spearman|slope/);
    expect((await page.locator('#association-note').textContent())!.replace(/\s+/g, ' ')).toContain(
      'ρ (Spearman’s rank correlation), which runs from −1 to 1: below 0, more pressure went with lower rungs',
    );
    const association = await page.locator('#trend-table tbody tr:not(.suppressed) td:last-child').allTextContents();
    const reading =
      /^(No clear link|(Weak|Moderate|Strong) link: more pressure, (lower|higher) rungs) \(ρ = −?[\d.]+(; −?[\d.]+ rungs per pressure level)?\)$/;
    const why =
      /^(Not shown: it would reveal a hidden pressure level|None to read: every reflection (was at the same pressure|reached the same rung))$/;
    expect(association.filter((a) => !reading.test(a) && !why.test(a))).toEqual([]);
    expect(association.filter((a) => reading.test(a)).length).toBeGreaterThan(0);
    // Weeks say their days; quarters their months.
    await page.goto(`${running.baseUrl}/dashboard?granularity=week`);
    expect(await page.locator('#trend-table tbody th').first().textContent()).toMatch(
      /^Week \d{1,2}, \d{4} \((\d{1,2}–\d{1,2} [A-Z][a-z]{2}|\d{1,2} [A-Z][a-z]{2}( \d{4})? – \d{1,2} [A-Z][a-z]{2}( \d{4})?)\)$/,
    );
    await page.goto(`${running.baseUrl}/dashboard?granularity=quarter`);
    const quarters = await page.locator('#trend-table tbody th').allTextContents();
    expect(quarters.filter((q) => !/^(Jan–Mar|Apr–Jun|Jul–Sep|Oct–Dec) \d{4}( \(.*\))?$/.test(q))).toEqual([]);
    await expect(page.locator('#privacy-note').textContent()).resolves.not.toContain('ISO');
    await page.goto(`${running.baseUrl}/dashboard`);
    expect(consoleErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('answers the guide’s questions: how embedded co-production is, and which case for it lands — each a chart with a table', async () => {
    await expect(page.getByRole('heading', { name: 'How embedded is co-production?' }).count()).resolves.toBe(1);
    await expect(page.getByRole('heading', { name: 'Making the case for co-production' }).count()).resolves.toBe(1);
    const embedding = await page.locator('#embedding-table thead').innerText();
    for (const label of ['One-off', 'Recurring', 'Team norm', 'Organisational policy', 'Lived experience took part'])
      expect(embedding).toContain(label);
    // A shown month lists a count at every level and the lived-experience share; a hidden one shows nothing but "Hidden".
    const shownRow = (await page.locator('#embedding-table tbody tr:not(.suppressed)').first().innerText()).split(/\t/);
    expect(shownRow.slice(1, 6).every((n) => /^\d+$/.test(n.trim()))).toBe(true);
    expect(shownRow[6]).toMatch(/^\d+ % \(\d+ of \d+\)$/);
    const advocacy = (await page.locator('#advocacy-table').innerText()).replace(/\s+/g, ' ');
    expect(advocacy).toMatch(/It is the right thing to do( \d+){5}/);
    expect(advocacy).toMatch(/Less risk( \d+){5}/);
    const total = (label: string) => Number(advocacy.match(new RegExp(`${label}(?: \\d+){4} (\\d+)`))![1]);
    expect(total('Better outcomes')).toBeGreaterThan(0);
    await expect(page.locator('#advocacy-level-table tbody tr').count()).resolves.toBeGreaterThan(0);
    await page.locator('#practice').screenshot({ path: join(SHOTS, '3-embedding-and-advocacy.png') });
  });

  it('changes period and team with the choosers (a plain GET form) and says why periods are hidden', async () => {
    await page.getByLabel('Period', { exact: true }).selectOption('week');
    const team = await page.locator('#team option').nth(1).textContent();
    await page.getByLabel('Team').selectOption({ label: team! });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/granularity=week/);
    expect(new URL(page.url()).searchParams.get('team')).toMatch(/^[0-9a-f-]{36}$/);
    await expect(page.locator('.lead').textContent()).resolves.toContain(team!);
    await expect(page.locator('#trend-table tr.suppressed').first().textContent()).resolves.toContain(
      'Hidden: fewer than 5 people',
    );
    await expect(page.locator('#privacy-note').textContent()).resolves.toContain('could point to one person');
    // When the next figures appear, in words: "October to December 2026 appear on 11 January 2027."
    await expect(page.locator('#next-period').textContent()).resolves.toMatch(
      /[A-Z][a-z]+ to [A-Z][a-z]+ \d{4} appear on \d{1,2} [A-Z][a-z]+ \d{4}\./,
    );
    expect((await drawn()).filter((c) => !c.drawn)).toEqual([]);
    await expect(page.locator('#embedding-table tr.suppressed').first().textContent()).resolves.toContain(
      'Hidden: fewer than 5 people',
    );
    expect(consoleErrors).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('2-team-by-week');
  });

  it('keeps the form and says what to change when the dates run backwards, showing the default view meanwhile', async () => {
    await page.getByLabel('From', { exact: true }).fill('2026-06-01');
    await page.getByLabel('To', { exact: true }).fill('2026-03-01');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/from=2026-06-01/);
    await expect(page.locator('#from-error').textContent()).resolves.toContain(
      'The "From" date must not be after the "To" date',
    );
    await expect(page.getByRole('alert').textContent()).resolves.toContain('The figures below are the default view');
    await expect(page.getByLabel('From', { exact: true }).inputValue()).resolves.toBe('2026-06-01');
    await expect(page.getByLabel('From', { exact: true }).getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByRole('button', { name: 'Show' }).isVisible()).resolves.toBe(true);
    // The figures are still there: the default view.
    expect((await drawn()).filter((c) => !c.drawn)).toEqual([]);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('3-backwards-range');
    // A period the list does not have: the list shows the one the figures below are by.
    await page.goto(`${running.baseUrl}/dashboard?granularity=day`);
    await expect(page.locator('#granularity-error').textContent()).resolves.toBe('Choose week, month or quarter');
    await expect(page.getByLabel('Period', { exact: true }).inputValue()).resolves.toBe('month');
    // A team not in the list: the whole organisation chosen, the period and dates those of the figures below.
    await page.goto(`${running.baseUrl}/dashboard?team=nonsense`);
    await expect(page.locator('#team-error').textContent()).resolves.toBe('Choose a team from the list');
    await expect(page.getByLabel('Team').inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Period', { exact: true }).inputValue()).resolves.toBe('month');
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('says the same of a period not shown yet in every table and chart: not yet, and the day it appears', async () => {
    await page.goto(`${running.baseUrl}/dashboard`);
    // The current quarter is never shown yet: its months are in the default view.
    const open = page.locator('#trend-table tbody tr', { hasText: 'Not shown yet' }).first();
    const period = (await open.locator('th').textContent())!;
    expect(period).toMatch(/^[A-Z][a-z]+ \d{4}$/);
    const said = (await open.locator('td').textContent())!;
    expect(said).toMatch(/^Not shown yet: appears on \d{1,2} \w+ \d{4}$/);
    // Every table by period says it in the same words, never "Hidden" (which reads as hidden for privacy).
    for (const table of ['embedding-table', 'with-table', 'practice-table']) {
      const row = page.locator(`#${table} tbody tr`, { has: page.locator('th', { hasText: period }) });
      await expect(row.locator('td').allTextContents()).resolves.toEqual([said]);
    }
    for (const chart of ['trend-chart', 'with-chart', 'embedding-chart']) {
      const labels = await page.evaluate<string[]>(
        `window.Chart.getChart(document.getElementById('${chart}')).data.labels`,
      );
      // On a chart, the month in short: "October 2026" is "Oct 2026 (not shown yet)".
      expect(labels).toContain(`${period.slice(0, 3)} ${period.slice(-4)} (not shown yet)`);
    }
  });

  it('never shows a pressure level hidden in every month as 0: its columns and rows say "Hidden", its bars are absent', async () => {
    consoleErrors.length = 0; // the test before asks for pages refused with 400 on purpose
    await page.goto(`${running.baseUrl}/dashboard`);
    // The levels hidden in every month shown, read from the table by month (the demo's "4. Survival").
    const levels = await page.locator('#practice-table thead th').allTextContents();
    const shownRows = page.locator('#practice-table tbody tr:not(.suppressed):not(.total)');
    const cells = await Promise.all((await shownRows.all()).map((row) => row.locator('td').allTextContents()));
    const hidden = levels.slice(1).filter((_, i) => cells.length > 0 && cells.every((row) => row[i] === 'Hidden'));
    expect(hidden).toContain('4. Survival');
    for (const level of hidden) {
      const column = levels.indexOf(level);
      // What got in the way: every challenge says "Hidden" under it, not 0; the chart draws no bar and says why.
      const challengeColumn = await page
        .locator(`#challenge-table tbody tr td:nth-of-type(${column})`)
        .allTextContents();
      expect(challengeColumn.length).toBe(8);
      expect(new Set(challengeColumn)).toEqual(new Set(['Hidden']));
      const chart = await page.evaluate<{ labels: string[]; data: (number | null)[][] }>(
        `(() => { const c = window.Chart.getChart(document.getElementById('challenge-chart'));
          return { labels: c.data.labels, data: c.data.datasets.map((d) => d.data) }; })()`,
      );
      expect(chart.labels[column - 1]).toBe(`${level} (hidden)`);
      expect(chart.data.every((series) => series[column - 1] === null)).toBe(true);
      await expect(
        page
          .locator('#practice-table tr.total td')
          .nth(column - 1)
          .textContent(),
      ).resolves.toBe('Hidden');
      // The embedding and advocacy tables by pressure: one row for the level, saying "Hidden".
      for (const table of ['embedding-level-table', 'advocacy-level-table']) {
        const rows = page.locator(`#${table} tbody tr`, { has: page.locator('th', { hasText: level }) });
        await expect(rows.locator('td').allTextContents()).resolves.toEqual(['Hidden']);
      }
      // And a sentence says why, under the tables by pressure.
      await expect(
        page.locator('.level-note', { hasText: `“${level}” is hidden in every month shown` }).count(),
      ).resolves.toBe(3);
    }
    expect(consoleErrors).toEqual([]);
    await page
      .locator('section[aria-labelledby="h-challenges"]')
      .screenshot({ path: join(SHOTS, '5-hidden-level.png') });
  });

  it('on a laptop (1280 px), fits every table in its box, so no column is cut off (by month and by week)', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    try {
      for (const granularity of ['month', 'week']) {
        await page.goto(`${running.baseUrl}/dashboard?granularity=${granularity}`);
        const cut = await page.evaluate<{ table: string; box: number; table_width: number }[]>(
          `[...document.querySelectorAll('.table-scroll')]
            .map((b) => ({ table: b.querySelector('table').id, box: b.clientWidth, table_width: b.scrollWidth }))
            .filter((t) => t.table_width > t.box)`,
        );
        expect(cut).toEqual([]);
        // The last column's heading is read whole, inside the box: "Does more pressure go with a lower rung?".
        const box = await page.getByRole('region', { name: `Figures by ${granularity}` }).boundingBox();
        const last = await page.locator('#trend-table thead th').last().boundingBox();
        expect(last!.x + last!.width).toBeLessThanOrEqual(box!.x + box!.width + 0.5);
      }
      await page.goto(`${running.baseUrl}/dashboard`);
      await page.locator('#trend-table').screenshot({ path: join(SHOTS, '6-laptop-figures-by-month.png') });
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  });

  it('on a phone, keeps the page its width: each wide table scrolls in a named box a keyboard can reach', async () => {
    // Opened on the phone's screen, as a phone does (charts drawn wide and then resized catch up a frame later).
    await page.setViewportSize({ width: 375, height: 800 });
    try {
      await page.goto(`${running.baseUrl}/dashboard`);
      // The page itself does not scroll sideways (before, the tables made it 600-odd pixels wide).
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      const boxes = page.getByRole('region', { name: 'Figures by month' });
      await expect(boxes.count()).resolves.toBe(1);
      const box = boxes.first();
      // The table inside is wider than its box, which scrolls: its last column can be reached.
      expect(await box.evaluate((b) => b.scrollWidth > b.clientWidth)).toBe(true);
      await expect(box.getAttribute('tabindex')).resolves.toBe('0');
      // A shadow down the box's cut edge says there is more (covers that scroll with the table over shadows that stay).
      const attachment = await page.evaluate<string>(
        `getComputedStyle(document.getElementById('trend-table').parentElement).backgroundAttachment`,
      );
      expect(attachment).toBe('local, local, scroll, scroll');
      await box.evaluate((b) => b.scrollTo({ left: b.scrollWidth }));
      const lastHeader = page.locator('#trend-table thead th').last();
      const edge = await lastHeader.boundingBox();
      expect(edge!.x + edge!.width).toBeLessThanOrEqual(376);
      // Every caption is read whole, inside its box, without scrolling it.
      const captions = await page.evaluate<{ id: string; right: number; box: number }[]>(
        `[...document.querySelectorAll('.table-scroll')].map((b) => ({ id: b.querySelector('table').id,
          right: b.querySelector('caption').getBoundingClientRect().right, box: b.getBoundingClientRect().right }))`,
      );
      expect(captions.filter((c) => c.right > c.box + 0.5)).toEqual([]);
      // The charts keep room for their bars under the legend, and the arguments chart names all four arguments.
      const chart = (id: string) =>
        page.evaluate<{ plotHeight: number; yLabels: number }>(
          `(() => { const c = window.Chart.getChart(document.getElementById('${id}'));
            return { plotHeight: c.chartArea.bottom - c.chartArea.top, yLabels: c.scales.y.ticks.length }; })()`,
        );
      expect((await chart('challenge-chart')).plotHeight).toBeGreaterThan(200);
      // The line chart and the bar charts by period and by pressure level too, under their legend and rotated labels
      // ("Oct 2026 (not shown yet)"): before, 59 and 86 px.
      const heights = await Promise.all(
        ['trend-chart', 'with-chart', 'practice-chart', 'embedding-chart'].map(async (id) => ({
          id,
          plotHeight: (await chart(id)).plotHeight,
        })),
      );
      expect(heights.filter((h) => h.plotHeight <= 150)).toEqual([]);
      expect(await chart('advocacy-chart')).toMatchObject({ yLabels: 4 });
      expect((await chart('advocacy-chart')).plotHeight).toBeGreaterThan(200);
      await page.locator('section[aria-labelledby="h-challenges"] figure').screenshot({
        path: join(SHOTS, '4-phone-challenges.png'),
      });
      await page.locator('section[aria-labelledby="h-trend"] figure').screenshot({
        path: join(SHOTS, '4-phone-trend.png'),
      });
      // Still a table to a screen reader: its header cells are column headers.
      await expect(page.getByRole('columnheader').count()).resolves.toBeGreaterThan(5);
      expect(await seriousViolations(page)).toEqual([]);
      await shot('4-phone');
    } finally {
      await page.setViewportSize({ width: 1100, height: 900 });
    }
  });
});
