import { INVITATION_DAYS, RESET_MINUTES } from '../domain/account';
import { MailKind } from './mail-outbox';

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Plain words and one link; the HTML part says the same as the text part. */
export function mailFor(kind: MailKind, link: string): MailContent {
  const lines =
    kind === 'invitation'
      ? {
          subject: 'You are invited to Praxis',
          intro: 'You have been invited to Praxis, the reflective-practice journal for co-production.',
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
