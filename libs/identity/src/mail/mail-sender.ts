import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Mailer } from './mailer';
import { MailOutbox } from './mail-outbox';
import { mailFor } from './mail-templates';

/** Looks at the outbox this often even when nothing woke it (retries, other processes' mails). */
const POLL_MS = 5_000;

/**
 * Delivers the outbox after commit: woken at once by the command that wrote a
 * mail, and every few seconds for retries. Several processes may run it; each
 * mail is claimed by one. A mail server that is down delays mails, never the
 * request that asked for one.
 */
@Injectable()
export class MailSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Mail');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly outbox: MailOutbox,
    private readonly mailer: Mailer,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  /** Send what is due now (called after a command committed a mail). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Sends everything due; resolves when the outbox has nothing due left (tests wait on it). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.sendDue().finally(() => (this.running = undefined));
    await this.running;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running) return this.schedule(POLL_MS);
    do {
      this.again = false;
      this.running = this.sendDue().finally(() => (this.running = undefined));
      await this.running;
    } while (this.again && !this.stopped);
    this.schedule(POLL_MS);
  }

  private async sendDue(): Promise<void> {
    try {
      for (
        let batch = await this.outbox.claimDue();
        batch.length > 0 && !this.stopped;
        batch = await this.outbox.claimDue()
      ) {
        for (const mail of batch) await this.sendOne(mail);
      }
    } catch (error) {
      // The database is away: the next tick tries again.
      this.logger.warn(`outbox not read: ${(error as Error).message}`);
    }
  }

  private async sendOne(mail: Awaited<ReturnType<MailOutbox['claimDue']>>[number]): Promise<void> {
    if (!mail.to || !mail.link) {
      await this.outbox.markFailed(mail, mail.to ? 'link no longer readable' : 'account erased');
      return;
    }
    try {
      await this.mailer.send(mail.to, mailFor(mail.kind, mail.link, mail.place), mail.link);
      await this.outbox.markSent(mail.id);
    } catch (error) {
      const status = await this.outbox.markFailed(mail, (error as Error).message);
      this.logger.warn(
        `${mail.kind} mail ${mail.id} not sent (${status === 'failed' ? 'giving up' : 'will retry'}): ${(error as Error).message}`,
      );
    }
  }
}
