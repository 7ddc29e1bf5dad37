import { INVITATION_DAYS, RESET_MINUTES } from '../domain/account';
import { MailKind } from './mail-outbox';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/** Where an invitation leads, as the account's membership says when the mail is sent. */
export interface InvitationPlace {
  role: 'worker' | 'leader' | 'researcher' | 'admin';
  /** The organisation's name, for a worker or leader. */
  organisation?: string;
  /** The team's name, for a member of one. */
  team?: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Who the invitation is from and what it is for, in words: the subject and the first sentence. */
function invitedTo(place: InvitationPlace | undefined): { subject: string; intro: string } {
  const journal = 'Praxis, the reflective-practice journal for co-production';
  // A name on one line whatever was typed: no line of the mail is anyone's but Praxis's.
  const oneLine = (name: string) => name.replace(/\s+/g, ' ').trim();
  if (place?.organisation) {
    const organisation = oneLine(place.organisation);
    const where = place.team ? `${organisation} (team ${oneLine(place.team)})` : organisation;
    const as =
      place.role === 'leader'
        ? `${journal}, as a leader: you will see the organisation's trends, never one person's reflections`
        : `Praxis, to keep your own reflective-practice journal on co-production`;
    return {
      subject: `You are invited to join ${organisation} on Praxis`,
      intro: `${where} has invited you to ${as}.`,
    };
  }
  if (place?.role === 'researcher')
    return {
      subject: 'You are invited to Praxis as a researcher',
      intro: `You have been invited to ${journal}, as a researcher: you will download anonymised exports, never anyone's own reflections.`,
    };
  return { subject: 'You are invited to Praxis', intro: `You have been invited to ${journal}.` };
}

/** Plain words and one link; the HTML part says the same as the text part. */
export function mailFor(kind: MailKind, link: string, place?: InvitationPlace): MailContent {
  const lines =
    kind === 'invitation'
      ? {
          ...invitedTo(place),
          action: 'Choose your own password here to start (nobody else ever knows it):',
          after: `The link works once and for ${INVITATION_DAYS} days. If you did not expect this, ignore this mail.`,
        }
      : {
          subject: 'Reset your Praxis password',
          intro: 'Someone asked to reset the password of your Praxis account.',
          action: 'Choose a new password here:',
          after: `The link works once and for ${RESET_MINUTES} minutes. If it was not you, ignore this mail: your password stays as it is.`,
        };
  return {
    subject: lines.subject,
    text: `${lines.intro}\n\n${lines.action}\n${link}\n\n${lines.after}\n`,
    html:
      `<p>${escape(lines.intro)}</p>` +
      `<p>${escape(lines.action)}<br><a href="${escape(link)}">${escape(link)}</a></p>` +
      `<p>${escape(lines.after)}</p>`,
  };
}
