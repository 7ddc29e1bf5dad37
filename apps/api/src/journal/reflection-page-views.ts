import { Injectable } from '@nestjs/common';
import { Clock, latestAllowedDate } from '@praxis/common';
import { CODE_LISTS, JournalQueries } from '@praxis/journal';
import { formatDay } from '../pages/view-filters';
import { describeHistory } from './reflection-display';
import { changeFormOf, ReflectionDrafts } from './reflection-draft';
import { formValues } from './reflection-form';

/**
 * What the two reflection forms' pages show — a new reflection (`journal/new`) and one reflection with its history
 * and its change form (`journal/show`) — for the journal's own pages and for sign-in, which gives back a form
 * refused when the session ended (reflection-draft.ts). Each form carries its owner tag.
 */
@Injectable()
export class ReflectionPageViews {
  constructor(
    private readonly queries: JournalQueries,
    private readonly clock: Clock,
    private readonly drafts: ReflectionDrafts,
  ) {}

  /** `journal/new`: the form, with `values` and `submissionId` in `data`. */
  newForm(userId: string, data: { submissionId: string } & Record<string, unknown>): Record<string, unknown> {
    return {
      title: 'New reflection',
      codes: CODE_LISTS,
      maxDate: latestAllowedDate(this.clock.now()),
      draftOwner: this.drafts.owner(userId, data.submissionId),
      ...data,
    };
  }

  /**
   * `journal/show`: the reflection (404 if it is not the person's), its history, and its change form filled in with
   * it unless `extra` gives other `values`. `openedVersion`, after a conflict: the version the person's page was
   * opened at, so the page lists what was saved since.
   */
  async show(
    userId: string,
    id: string,
    extra: Record<string, unknown>,
    openedVersion?: number,
  ): Promise<Record<string, unknown>> {
    const reflection = await this.queries.get(userId, id);
    const history = describeHistory(await this.queries.history(userId, id));
    return {
      title: `Reflection of ${formatDay(reflection.occurredOn)}`,
      reflection,
      history,
      changedSince: openedVersion === undefined ? undefined : history.filter((h) => h.version > openedVersion),
      values: formValues(reflection),
      codes: CODE_LISTS,
      maxDate: latestAllowedDate(this.clock.now()),
      draftOwner: this.drafts.owner(userId, changeFormOf(id)),
      ...extra,
    };
  }
}
