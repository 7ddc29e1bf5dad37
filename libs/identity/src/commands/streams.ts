import { isUuid } from '@praxis/common';
import { HandleOptions } from '@praxis/event-store';
import { IdentityErrors } from '../domain/identity-errors';
import { organisationStream } from '../domain/identity-events';
import { Actor, metadataOf } from './actor';

/** An organisation's stream; an id that is no UUID names no organisation. */
export function organisationStreamOf(organisationId: string): string {
  if (!isUuid(organisationId)) throw IdentityErrors.organisationNotFound();
  return organisationStream(organisationId);
}

/**
 * Another change to the same organisation in between (a new member, a new
 * team) is not the caller's conflict to resolve, so it decides again. Each
 * round of racing writers lets at least one through, so n writers at once
 * need at most n attempts; 20 covers a burst of adds to one organisation.
 */
export const onOrganisation = (actor: Actor): HandleOptions => ({ retries: 19, metadata: metadataOf(actor) });

/**
 * An account's own stream: appended at the version read. A concurrent change
 * (two tabs accepting one invitation) is a version conflict, and the loser
 * changes nothing. `inTransaction` writes the secrets the events name (a
 * password hash, a link's hash, an outbox row) with them.
 */
export const onAccount = (actor: Actor, inTransaction?: NonNullable<HandleOptions['append']>['inTransaction']) =>
  ({ retries: 0, metadata: metadataOf(actor), append: { inTransaction } }) satisfies HandleOptions;
