import { startApp, RunningApp } from './support/running-app';

describe('GET /health over HTTP', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp('health', { PRAXIS_RUN_PROJECTIONS: 'on' });
  });
  afterAll(() => running.close());

  it('answers 200 with the database up', async () => {
    const res = await fetch(`${running.baseUrl}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { projections: unknown };
    expect(body).toMatchObject({ status: 'ok', database: { status: 'up', embedded: !running.config.databaseUrl } });
    expect(Array.isArray(body.projections)).toBe(true);
  });

  it('answers 503 once the database is gone, with a reason', async () => {
    const { Database } = await import('@praxis/common');
    await running.app.get(Database).dataSource.destroy();
    const res = await fetch(`${running.baseUrl}/health`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unavailable', database: { status: 'down' } });
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await fetch(`${running.baseUrl}/api/nothing-here`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
