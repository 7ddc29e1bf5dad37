import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { Subject } from 'rxjs';
import { NOTIFY_CHANNEL } from '../event-store';

/**
 * LISTENs for appends made by any process on a dedicated connection and wakes
 * the local runners. Notifications can be lost (reconnects), so runners also poll.
 */
export class NotificationListener {
  readonly notified$ = new Subject<void>();
  private readonly logger = new Logger('NotificationListener');
  private client?: Client;
  private stopped = false;

  constructor(private readonly url: string) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', () => this.notified$.next());
    client.on('error', (error) => {
      this.logger.warn(`listener connection lost: ${error.message}`);
      void this.reconnect();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${NOTIFY_CHANNEL}`);
      this.client = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      this.logger.warn(`cannot listen for appends (polling instead): ${(error as Error).message}`);
      void this.reconnect();
    }
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    await new Promise((resolve) => setTimeout(resolve, 2000).unref()); // never keeps a stopping process alive
    if (!this.stopped) await this.connect();
  }
}
