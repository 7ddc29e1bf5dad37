import { Controller, Get, Query, Req, Res, UseFilters } from '@nestjs/common';
import type { Response } from 'express';
import { DomainError, EARLIEST_DATE } from '@praxis/common';
import { AccessRequest, IdentityQueries, Roles, WebPage } from '@praxis/identity';
import { CHALLENGES, PRESSURE } from '@praxis/journal';
import { OrganisationTrends, OrganisationTrendsAnswer, TrendPeriod } from '@praxis/projections';
import { PageErrorFilter } from '../pages/page-error.filter';
import { PageRenderer } from '../pages/page-renderer';
import { associationWords, periodName, periodShortName } from './period-words';
import { hiddenLevelsNote, levelCoverage, LevelStatus, practiceView } from './practice-view';

/** The leader's dashboard: their organisation's trends, suppressed exactly as the API suppresses them. */
@WebPage()
@Roles('leader')
@UseFilters(PageErrorFilter)
@Controller('dashboard')
export class DashboardPageController {
  constructor(
    private readonly trends: OrganisationTrends,
    private readonly identity: IdentityQueries,
    private readonly pages: PageRenderer,
  ) {}

  @Get()
  async show(
    @Req() req: AccessRequest,
    @Res() res: Response,
    @Query('granularity') granularity?: string,
    @Query('team') team?: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const orgId = req.user!.organisationId!;
    const asked = { granularity, team: team || undefined, from: from || undefined, to: to || undefined };
    let answer: OrganisationTrendsAnswer;
    let errors: Record<string, string> = {};
    try {
      answer = await this.trends.trends(orgId, asked);
    } catch (error) {
      // A choice the form cannot make (a range backwards, a team of another organisation): the default view, with
      // the message beside the field and what was asked kept in the form.
      if (!(error instanceof DomainError) || !['invalid', 'not_found'].includes(error.kind)) throw error;
      errors = formErrors(error);
      answer = await this.trends.trends(orgId, {});
    }
    const teams = await this.identity.teams(orgId);
    const periods = answer.periods.map((p) => ({
      ...p,
      name: periodName(p.period),
      associationWords: associationWords(p.association, p.withheld),
      levels: p.pressureByRung ?? [],
      ...(p.open ? { appearsOnText: LONG_DATE.format(new Date(`${p.appearsOn}T00:00:00Z`)) } : {}),
    }));
    const byLevel = pooledByLevel(periods);
    const levelNotes = hiddenLevelsNote(
      periods,
      answer.granularity,
      `fewer than ${answer.k} people, or it would reveal a hidden figure`,
    );
    this.pages.render(
      req,
      res,
      'dashboard',
      {
        title: 'Dashboard',
        answer: { ...answer, periods },
        teams,
        teamName: teams.find((t) => t.id === answer.team)?.name,
        pressureLevels: PRESSURE.codes,
        challengeCodes: CHALLENGES.codes,
        byLevel,
        shown: answer.periods.filter((p) => !p.suppressed).length,
        chartData: JSON.stringify(chartData(answer, byLevel)),
        levelNotes,
        practice: { ...practiceView(periods), levelNotes },
        next: nextPeriod(this.trends.nextToAppear()),
        errors,
        // What was asked, where it can be shown; a choice refused, or not made, shows what the figures below are by.
        form: Object.keys(errors).length
          ? {
              granularity: errors.granularity || !granularity ? answer.granularity : granularity,
              team: errors.team ? '' : team,
              from: from || answer.from,
              to: to || answer.to,
            }
          : answer,
      },
      Object.keys(errors).length ? 400 : 200,
    );
  }
}

/** The trends' refusal, as a message a leader can act on beside the field it is about. */
function formErrors(error: DomainError): Record<string, string> {
  switch (error.code) {
    case 'TRENDS.INVALID_GRANULARITY':
      return { granularity: 'Choose week, month or quarter' };
    case 'TRENDS.INVALID_TEAM':
    case 'TEAM.NOT_FOUND':
      return { team: 'Choose a team from the list' };
    case 'TRENDS.INVALID_DATE':
      return /^to /.test(error.message)
        ? { to: 'The "To" date must be a date written YYYY-MM-DD' }
        : { from: 'The "From" date must be a date written YYYY-MM-DD' };
    case 'TRENDS.INVALID_RANGE':
      return /must not be after/.test(error.message)
        ? { from: 'The "From" date must not be after the "To" date' }
        : { from: `The "From" date must not be before ${EARLIEST_DATE}` };
    case 'TRENDS.RANGE_TOO_LONG':
      return { from: 'The dates must be at most 10 years apart: move "From" or "To"' };
    default:
      return { from: error.message };
  }
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' });
const MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** "October to December 2026 appear on 10 January 2027": the next quarter leaders will see, in words. */
function nextPeriod(next: { quarter: string; appearsOn: string; graceDays: number }) {
  const [year, q] = next.quarter.split('-Q').map(Number);
  const first = new Date(Date.UTC(year, (q - 1) * 3, 1));
  const last = new Date(Date.UTC(year, q * 3 - 1, 1));
  return {
    sentence:
      `${MONTH.format(first)} to ${MONTH_YEAR.format(last)} ` +
      `appear on ${LONG_DATE.format(new Date(`${next.appearsOn}T00:00:00Z`))}.`,
    graceDays: next.graceDays,
  };
}

/**
 * Mean rung and challenges per pressure level over the periods shown, pooled
 * from the cells the leader can already see (nothing hidden goes in). A level
 * shown in none of them has no figures at all: its status says why.
 */
function pooledByLevel(periods: (TrendPeriod & { levels: NonNullable<TrendPeriod['pressureByRung']> })[]) {
  const coverage = levelCoverage(periods);
  return PRESSURE.codes.map((info, i) => {
    let count = 0;
    let rungSum = 0;
    const challenges: Record<string, number> = Object.fromEntries(CHALLENGES.codes.map((c) => [c.code, 0]));
    for (const p of periods) {
      const cell = p.pressureByRung?.find((c) => c.ordinal === info.ordinal);
      if (!cell || cell.suppressed) continue;
      count += cell.count!;
      rungSum += cell.count! * (cell.meanRung ?? 0);
      for (const [code, n] of Object.entries(cell.challenges ?? {})) challenges[code] += n;
    }
    const status: LevelStatus = coverage[i].status;
    return {
      code: info.code,
      label: info.label,
      ordinal: info.ordinal,
      status,
      count,
      meanRung: count ? Number((rungSum / count).toFixed(2)) : null,
      challenges,
    };
  });
}

function chartData(answer: OrganisationTrendsAnswer, byLevel: ReturnType<typeof pooledByLevel>) {
  return {
    periods: answer.periods.map((p) => ({
      period: p.period,
      label: periodShortName(p.period),
      suppressed: p.suppressed,
      open: p.open === true,
      meanPressure: p.meanPressure ?? null,
      meanRung: p.meanRung ?? null,
      doingWithShare: p.doingWithShare ?? null,
    })),
    // A level with no figure to show (hidden, or not shown yet) has no bars, never bars of 0.
    levels: byLevel.map((l) => ({
      label: `${l.ordinal}. ${l.label}`,
      status: l.status,
      meanRung: l.status === 'shown' ? l.meanRung : null,
      challenges: l.status === 'shown' ? l.challenges : null,
    })),
    challenges: CHALLENGES.codes.map((c) => ({ code: c.code, label: c.label })),
  };
}
