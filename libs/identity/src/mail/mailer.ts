import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport, Transporter } from 'nodemailer';
import { AppConfig, Clock, newId } from '@praxis/common';
import { MailContent } from './mail-templates';

/**
 * Mail through nodemailer: over SMTP when PRAXIS_SMTP_URL is set; otherwise
 * (the embedded quick start, never production) each mail is written as an
 * .eml file to <data dir>/outbox/ and its link is logged, so a person trying
 * Praxis can still follow an invitation.
 */
@Injectable()
export class Mailer implements OnModuleDestroy {
  private readonly logger = new Logger('Mail');
  private readonly transport: Transporter;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    this.transport = config.smtpUrl
      ? // Short timeouts: a mail server that does not answer is retried later, not waited on for minutes.
        createTransport({
          url: config.smtpUrl,
          connectionTimeout: 10_000,
          greetingTimeout: 10_000,
          socketTimeout: 20_000,
        })
      : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(to: string, content: MailContent, link: string): Promise<void> {
    const info = await this.transport.sendMail({ from: this.config.mailFrom, to, ...content });
    if (this.config.smtpUrl) return;
    const file = this.writeFile(info.message as Buffer);
    this.logger.log(
      `mail "${content.subject}" ${file ? `written to ${file}` : 'not kept (in-memory data)'}; its link: ${link}`,
    );
  }

  private writeFile(message: Buffer): string | undefined {
    if (this.config.dataDir.startsWith('memory://')) return undefined;
    const dir = resolve(this.config.dataDir, 'outbox');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${this.clock.now().toISOString().replace(/[:.]/g, '-')}-${newId().slice(0, 8)}.eml`);
    writeFileSync(file, message, { mode: 0o600 });
    return file;
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
