import { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  to: string;
  from: string;
  subject: string;
  text: string;
  html: string;
}

/** A real SMTP server on a free port: what Praxis sends, as a mail client would read it. */
export interface MailCatcher {
  url: string;
  mails: CaughtMail[];
  /** While true, every mail is refused with a temporary failure (a mail server that is down). */
  refusing: boolean;
  /** The first mail to `to` (and matching `subject`) not yet taken, waiting for it up to `ms`. */
  next(to: string, subject?: RegExp, ms?: number): Promise<CaughtMail>;
  close(): Promise<void>;
}

export async function startMailCatcher(): Promise<MailCatcher> {
  const mails: CaughtMail[] = [];
  const taken = new Set<CaughtMail>();
  const catcher: MailCatcher = {
    url: '',
    mails,
    refusing: false,
    async next(to, subject = /./, ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const mail = mails.find(
          (m) => !taken.has(m) && m.to.toLowerCase() === to.toLowerCase() && subject.test(m.subject),
        );
        if (mail) {
          taken.add(mail);
          return mail;
        }
        if (Date.now() > deadline)
          throw new Error(
            `no mail to ${to} within ${ms} ms (caught: ${mails.map((m) => `${m.to}: ${m.subject}`).join('; ') || 'none'})`,
          );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (catcher.refusing) {
        const error = Object.assign(new Error('Mail server busy, try later'), { responseCode: 451 });
        return callback(error);
      }
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = [parsed.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''))[0] ?? '';
          mails.push({
            to,
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: String(parsed.html || ''),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  catcher.url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return catcher;
}

/** The one link in a mail that starts with `base` (PRAXIS_PUBLIC_URL). */
export function linkIn(mail: CaughtMail, base: string): string {
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  const link = links.find((l) => l.startsWith(base));
  if (!link) throw new Error(`no link on ${base} in: ${mail.text}`);
  return link;
}
