import { join } from 'node:path';
import nunjucks from 'nunjucks';
import { CODEBOOK, codeLabel, LADDER, PRESSURE } from '@praxis/journal';
import { addViewFilters, formatDay, formatMoment } from './view-filters';
import { CODES } from '../journal/journal-pages.controller';

const env = addViewFilters(
  new nunjucks.Environment(new nunjucks.FileSystemLoader(join(__dirname, '..', 'views')), { autoescape: true }),
);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const reflection = (i: number) => ({
  id: `00000000-0000-4000-8000-00000000000${i}`,
  occurredOn: '2026-11-30',
  whatHappened: `entry ${i}`,
  ladderRung: LADDER.codes[i % 7].code,
  resourcePressure: PRESSURE.codes[i % 4].code,
});

/** Nunjucks' selectattr once labelled every rung "Coercion": every code must show as its own label. */
describe('labels on the pages', () => {
  it('the journal list shows every rung and every pressure level by its ordinal and label', () => {
    const items = LADDER.codes.map((_, i) => reflection(i));
    const html = text(
      env.render('journal/list.njk', { page: { items, older: null, newer: null, total: 7 }, codes: CODES, filter: {} }),
    );
    items.forEach((item, i) => {
      const row = html.slice(html.indexOf(`entry ${i}`));
      const rung = LADDER.codes[i % 7];
      const pressure = PRESSURE.codes[i % 4];
      expect(row).toMatch(
        new RegExp(`^entry ${i} ${rung.ordinal}\\. ${rung.label} ${pressure.ordinal}\\. ${pressure.label}`),
      );
    });
    expect(html).not.toMatch(/co_design|co_production|resourced|survival/);
  });

  it('a reflection shows every code it carries by its label', () => {
    const all = (field: string) => CODEBOOK.find((l) => l.field === field)!.codes.map((c) => c.code);
    const shown = {
      ...reflection(5),
      version: 2,
      aspiredRung: 'co_production',
      pressureSources: all('pressureSources'),
      challenges: all('challenges'),
      principles: all('principles'),
      stage: 'co_assessment',
      embedding: 'organisational_policy',
      advocacy: { argument: 'better_outcomes', reception: 'resistant' },
      livedExperienceInvolved: true,
      tags: [],
      recordedAt: '2026-11-30T14:05:00.000Z',
    };
    const html = text(
      env.render('journal/show.njk', {
        reflection: shown,
        history: [],
        values: { pressureSources: [], challenges: [], principles: [] },
        codes: CODES,
        user: { email: 'w@example.org' },
      }),
    );
    const summary = html.slice(html.indexOf('What happened'), html.indexOf('History'));
    for (const field of ['pressureSources', 'challenges', 'principles'])
      for (const code of all(field)) expect(summary).toContain(codeLabel(field, code));
    expect(summary).toContain('6. Co-design');
    expect(summary).toContain('7. Co-production');
    expect(summary).toContain('2. Stretched');
    for (const label of ['Co-assessment', 'Organisational policy', 'Better outcomes', 'Resistant'])
      expect(summary).toContain(label);
    expect(summary).not.toMatch(
      /\b(co_assessment|organisational_policy|better_outcomes|peer_networks|power_and_risk)\b/,
    );
  });

  it('every code of every list has a label of its own', () => {
    for (const list of CODEBOOK)
      for (const c of list.codes)
        expect(codeLabel(list.field, c.code)).toBe(c.ordinal ? `${c.ordinal}. ${c.label}` : c.label);
    expect(codeLabel('aspiredRung', 'engagement')).toBe('5. Engagement');
  });

  it('writes dates and times as a person does, in the organisation’s time zone', () => {
    expect(formatDay('2026-11-30')).toBe('30 November 2026');
    expect(formatMoment('2026-11-30T14:05:00Z')).toBe('30 November 2026, 14:05');
    expect(formatMoment('2026-07-01T14:05:00Z')).toBe('1 July 2026, 15:05'); // British Summer Time
  });
});
