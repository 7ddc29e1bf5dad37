import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { eventually, onServer, openTestDatabase, TestDatabase } from '@praxis/testing';
import { NotificationListener } from './notification-listener';

// A listening connection beside the pool: the embedded database has one session.
const onServerOnly = onServer() ? describe : describe.skip;

/**
 * Whoever trusts what it keeps only while it hears of changes (the account cache) must learn that the
 * listening connection is gone even when it dies without a word: a partition or a failover leaves a
 * half-open socket that neither errors nor closes for hours.
 */
onServerOnly('the listening connection', () => {
  let db: TestDatabase;
  let proxy: Server;
  let silent = false;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    db = await openTestDatabase('notification_listener');
    const target = new URL(db.config.databaseUrl!);
    // Forwards both ways until told to go silent: then it drops every byte and closes nothing.
    proxy = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      sockets.push(client, upstream);
      client.on('data', (chunk) => silent || upstream.write(chunk));
      upstream.on('data', (chunk) => silent || client.write(chunk));
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    sockets.forEach((s) => s.destroy());
    proxy?.close();
    await db?.close();
  });

  it('says it is no longer listening when the database stops answering, though the socket stays open', async () => {
    const url = new URL(db.config.databaseUrl!);
    url.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const listener = new NotificationListener(url.toString(), 'praxis_listener_test');
    const heard: string[] = [];
    listener.notified$.subscribe((payload) => heard.push(payload));
    await listener.start();
    try {
      expect(listener.listening$.value).toBe(true);
      await db.dataSource.query(`SELECT pg_notify('praxis_listener_test', 'before')`);
      await eventually(() => heard.includes('before'));

      silent = true;
      await eventually(() => !listener.listening$.value, 15_000);
      await db.dataSource.query(`SELECT pg_notify('praxis_listener_test', 'unheard')`);
      expect(heard).not.toContain('unheard');
    } finally {
      await listener.stop();
    }
  }, 30_000);
});
