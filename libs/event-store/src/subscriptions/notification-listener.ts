import { Socket } from 'node:net';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { BehaviorSubject, Subject } from 'rxjs';
import { NOTIFY_CHANNEL } from '../event-store';

/**
 * LISTENs on a channel (by default, appends made by any process) on a dedicated
 * connection. Notifications are lost while it is down, so `listening$` says when
 * it is: runners poll behind it, and a cache trusts itself only while it listens.
 */
/** How often the listening connection is asked for a sign of life, and how long it has to answer. */
const HEARTBEAT_MS = 5_000;

export class NotificationListener {
  /** Each notification's payload. */
  readonly notified$ = new Subject<string>();
  /** True from the moment LISTEN has taken effect until the connection is lost. */
  readonly listening$ = new BehaviorSubject<boolean>(false);
  private readonly logger = new Logger('NotificationListener');
  private client?: Client;
  private stopped = false;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly channel: string = NOTIFY_CHANNEL,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    this.listening$.next(false);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    // The socket is ours (pg's `stream` option), so a lost connection can be closed outright.
    const socket = new Socket();
    const client = new Client({ connectionString: this.url, stream: () => socket });
    client.on('notification', (message) => this.notified$.next(message.payload ?? ''));
    const lost = (why: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      clearInterval(this.heartbeat);
      this.listening$.next(false);
      this.logger.warn(`listener connection lost: ${why}`);
      client.end().catch(() => undefined);
      // A silent socket would never finish ending, and would keep the process alive.
      socket.destroy();
      void this.reconnect();
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('closed'));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      if (this.stopped) return void (await this.stop());
      // A connection can die without a word (a half-open socket after a partition or a failover): one that
      // does not answer a trivial query within the beat is taken as lost, and everyone relying on it is told.
      this.heartbeat = setInterval(() => {
        const beat = client.query('SELECT 1');
        const silence = new Promise((_, fail) =>
          setTimeout(() => fail(new Error('no heartbeat')), HEARTBEAT_MS).unref(),
        );
        Promise.race([beat, silence]).catch((error: Error) => lost(error.message));
      }, HEARTBEAT_MS).unref();
      this.listening$.next(true);
    } catch (error) {
      await client.end().catch(() => undefined);
      this.logger.warn(`cannot listen on ${this.channel} (retrying): ${(error as Error).message}`);
      void this.reconnect();
    }
  }

  private async reconnect(): Promise<void> {
    if (this.stopped) return;
    await new Promise((resolve) => setTimeout(resolve, 2000).unref()); // never keeps a stopping process alive
    if (!this.stopped) await this.connect();
  }
}
