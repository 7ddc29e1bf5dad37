import { Controller, Get, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { AccessRequest, Roles, WebPage } from '@praxis/identity';
import { codeLabel, PRESSURE } from '@praxis/journal';
import { MyTrends } from '@praxis/projections';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { periodName, periodShortName } from '../trends/period-words';
import { practiceView } from '../trends/practice-view';

/** The worker's own trends page: charts, and the same figures as tables. */
@WebPage()
@Roles('worker')
@UseFilters(PageErrorFilter)
@Controller('trends')
export class MyTrendsPageController {
  constructor(
    private readonly trends: MyTrends,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(@Req() req: AccessRequest, @Res() res: Response): Promise<void> {
    const granularity = req.query.granularity === 'quarter' ? 'quarter' : 'month';
    const trends = await this.trends.of(req.user!.id, granularity);
    const periods = trends.periods.map((p) => {
      const [code, count] = Object.entries(p.challenges).sort((a, b) => b[1] - a[1])[0] ?? ['', 0];
      return {
        ...p,
        name: periodName(p.period),
        topChallenge: count ? { label: codeLabel('challenges', code), count } : null,
      };
    });
    const byPressure = PRESSURE.codes.map((level) => {
      const cells = trends.periods
        .map((p) => p.rungByPressure.find((c) => c.pressure === level.code)!)
        .filter((c) => c.count);
      const count = cells.reduce((n, c) => n + c.count, 0);
      const sum = cells.reduce((n, c) => n + c.count * (c.meanRung ?? 0), 0);
      return {
        ordinal: level.ordinal,
        label: level.label,
        count,
        meanRung: count ? Math.round((sum / count) * 100) / 100 : null,
      };
    });
    const practice = practiceView(
      trends.periods.map((p) => ({
        ...p,
        levels: p.rungByPressure.map((c) => ({ ...c, ordinal: c.pressureOrdinal })),
      })),
    );
    this.pages.render(req, res, 'journal/trends', {
      title: 'My trends',
      trends: { ...trends, periods },
      byPressure,
      practice,
      granularity,
      chartData: JSON.stringify({
        periods: trends.periods.map((p) => ({
          period: p.period,
          label: periodShortName(p.period),
          meanPressure: p.meanPressure,
          meanRung: p.meanRung,
        })),
      }),
    });
  }
}
