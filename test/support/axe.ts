import { readFileSync } from 'node:fs';
import { Page } from 'playwright-core';

/** axe-core from node_modules, evaluated in the page (never fetched from a CDN; page scripts stay under the CSP). */
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/** The WCAG 2.2 A/AA violations axe rates serious or critical on the page as it stands. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(AXE);
  const found: Violation[] = await page.evaluate(`axe
    .run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    })
    .then((r) =>
      r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      })),
    )`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
