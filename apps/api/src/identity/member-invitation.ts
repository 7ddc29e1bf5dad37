import { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@praxis/common';
import { Actor, InviteMemberCommand, MemberView, SendInvitationCommand, TeamView } from '@praxis/identity';
import { InviteRow } from './invite-csv';

/** Said after the address of someone invited again. */
export const INVITED_AGAIN =
  'had already been invited and had not accepted yet: a new invitation is on its way, with the same role and team, ' +
  'and the old link no longer works';

/** What inviting one address came to; `reason` is said after the address. */
export type InviteOutcome = { kind: 'invited' } | { kind: 'resent' } | { kind: 'refused'; reason: string };

/**
 * Inviting one person from the admin page, alone or from a list, the same way
 * for both. An address already invited here and not yet accepted is invited
 * again (a new link, the old one dead) when the role and team are the ones it
 * has; otherwise nothing is changed or sent and the reason says so, since a
 * pending invitation's role and team cannot be changed.
 */
export async function inviteOrResend(
  commands: CommandBus,
  context: { organisationId: string; members: MemberView[]; teams: TeamView[]; actor: Actor },
  row: InviteRow,
): Promise<InviteOutcome> {
  const { organisationId, members, teams, actor } = context;
  const existing = members.find((m) => m.email.toLowerCase() === row.email.toLowerCase());
  if (existing?.status === 'active')
    return { kind: 'refused', reason: 'already has an account here and has chosen a password, so was not invited' };
  if (existing) {
    if (existing.role === row.role && existing.team === row.teamId) {
      await commands.execute(new SendInvitationCommand(existing.id, { organisationId }, actor));
      return { kind: 'resent' };
    }
    const team = teams.find((t) => t.id === existing.team)?.name;
    const details = `as a ${existing.role}${team ? ` in ${team}` : ' in no team'}`;
    return {
      kind: 'refused',
      reason:
        `was already invited ${details} and has not accepted yet. Nothing was changed or sent: ` +
        'the role and team of a pending invitation cannot be changed. ' +
        'To send it again as it is, use "Send the invitation again" beside them in the list',
    };
  }
  try {
    await commands.execute(new InviteMemberCommand({ organisationId, ...row }, actor));
    return { kind: 'invited' };
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'ACCOUNT.EMAIL_TAKEN')) throw error;
    return {
      kind: 'refused',
      reason:
        'already has an account elsewhere in Praxis (another organisation, a researcher or an admin), so was not invited',
    };
  }
}
