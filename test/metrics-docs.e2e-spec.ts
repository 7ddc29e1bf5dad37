import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import SwaggerParser from '@apidevtools/swagger-parser';
import { DataSource } from 'typeorm';
import { EventStore, Projection, ProjectionRunner } from '@praxis/event-store';
import { startApp, RunningApp } from './support/running-app';
import { buildWorld, call, World } from './support/identity';

const REFLECTION = {
  occurredOn: '2025-06-02',
  whatHappened: 'Planned the drop-in with two people who use it',
  ladderRung: 'co_design',
  resourcePressure: 'stretched',
};
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The value of one sample line, e.g. `praxis_http_requests_total{method="GET",route="/health",status="200"}`; 0 when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => {
    if (!l.startsWith(`${name}{`) && !l.startsWith(`${name} `)) return false;
    const labelText = l.slice(name.length).match(/^\{([^}]*)\}/)?.[1] ?? '';
    const have = labelText ? labelText.split(',') : [];
    return have.length === wanted.length && wanted.every((w) => have.includes(w));
  });
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

/** An address of this machine that is not loopback, to call from "another host" for real (none on a loopback-only machine). */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

describe('GET /metrics and GET /api/docs over HTTP', () => {
  let running: RunningApp;
  let world: World;
  const metrics = async () => {
    const res = await fetch(`${running.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    return res.text();
  };

  beforeAll(async () => {
    running = await startApp('metrics_docs');
    world = await buildWorld(running.app, running.baseUrl);
  });
  afterAll(() => running?.close());

  describe('/metrics', () => {
    it('answers a loopback caller without a token, in Prometheus text with the process, HTTP, projection and store metrics', async () => {
      await fetch(`${running.baseUrl}/health`);
      const res = await fetch(`${running.baseUrl}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
      const text = await res.text();
      for (const name of [
        'process_cpu_user_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
        'praxis_http_requests_total',
        'praxis_http_request_duration_seconds',
        'praxis_projection_lag_events',
        'praxis_projection_lag_seconds',
        'praxis_projection_dead_letters',
        'praxis_projection_monitor_up',
        'praxis_event_store_appends_total',
      ]) {
        expect(text).toContain(`# TYPE ${name} `);
      }
      expect(sample(text, 'praxis_projection_monitor_up')).toBe(1);
      expect(
        sample(text, 'praxis_http_request_duration_seconds_count', { method: 'GET', route: '/health', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
    });

    it('reports each projection\u2019s lag and dead letters, read from the database at scrape time', async () => {
      // A projection of the test's own that cannot apply its events: real runner, real checkpoint, real dead-letter table.
      const probe: Projection = {
        name: 'metrics_probe',
        eventTypes: ['MetricsProbed'],
        apply: async () => {
          throw new Error('cannot project a probe');
        },
      };
      const store = running.app.get(EventStore);
      const runner = new ProjectionRunner(running.app.get(DataSource), store, probe, { maxAttempts: 2, backoffMs: 5 });
      await store.append('metrics-probe-1', 'no_stream', [{ type: 'MetricsProbed', data: {} }]);
      await runner.catchUp();
      let text = await metrics();
      const labels = { projection: 'metrics_probe' };
      expect(sample(text, 'praxis_projection_dead_letters', labels)).toBe(1);
      expect(sample(text, 'praxis_projection_lag_events', labels)).toBe(0);
      expect(sample(text, 'praxis_projection_lag_seconds', labels)).toBe(0);

      await store.append('metrics-probe-2', 'no_stream', [{ type: 'MetricsProbed', data: {} }]);
      text = await metrics();
      expect(sample(text, 'praxis_projection_lag_events', labels)).toBe(1);
      expect(text).toMatch(/^praxis_projection_lag_seconds\{projection="metrics_probe"\} [\d.e+-]+$/m);
      expect(sample(text, 'praxis_projection_monitor_up')).toBe(1);
    });

    it('counts a request once it is answered', async () => {
      const labels = { method: 'GET', route: '/health', status: '200' };
      const before = sample(await metrics(), 'praxis_http_requests_total', labels);
      await fetch(`${running.baseUrl}/health`);
      await fetch(`${running.baseUrl}/health`);
      expect(sample(await metrics(), 'praxis_http_requests_total', labels)).toBe(before + 2);
    });

    it('labels requests by route template, never by a raw path with an id in it', async () => {
      const recorded = await call(running.baseUrl, 'POST', '/api/reflections', {
        token: world.workerA.token,
        body: REFLECTION,
      });
      expect(recorded.status).toBe(201);
      const id: string = recorded.body.id;
      expect(
        (await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerA.token })).status,
      ).toBe(200);
      expect(
        (await call(running.baseUrl, 'GET', `/api/reflections/${id}/history`, { token: world.workerA.token })).status,
      ).toBe(200);
      expect(
        (await call(running.baseUrl, 'GET', `/api/reflections/${id}`, { token: world.workerB.token })).status,
      ).toBe(404);
      expect(
        (await call(running.baseUrl, 'GET', `/api/organisations/${world.orgB}`, { token: world.leaderA.token })).status,
      ).toBe(404);
      expect((await call(running.baseUrl, 'GET', `/api/nothing-here/${id}`)).status).toBe(404);
      const text = await metrics();
      expect(
        sample(text, 'praxis_http_requests_total', { method: 'POST', route: '/api/reflections', status: '201' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'praxis_http_requests_total', { method: 'GET', route: '/api/reflections/:id', status: '200' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'praxis_http_requests_total', { method: 'GET', route: '/api/reflections/:id', status: '404' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'praxis_http_requests_total', {
          method: 'GET',
          route: '/api/reflections/:id/history',
          status: '200',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'praxis_http_requests_total', {
          method: 'GET',
          route: '/api/organisations/:orgId',
          status: '404',
        }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        sample(text, 'praxis_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' }),
      ).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain(id);
      expect(text).not.toContain(world.orgB);
      expect(text).not.toMatch(UUID);
    });

    it('counts committed appends to the event store', async () => {
      const before = sample(await metrics(), 'praxis_event_store_appends_total');
      const recorded = await call(running.baseUrl, 'POST', '/api/reflections', {
        token: world.workerA.token,
        body: REFLECTION,
      });
      expect(recorded.status).toBe(201);
      const refused = await call(running.baseUrl, 'POST', '/api/reflections', {
        token: world.workerA.token,
        body: { ...REFLECTION, ladderRung: 'nope' },
      });
      expect(refused.status).toBe(400);
      expect(sample(await metrics(), 'praxis_event_store_appends_total')).toBe(before + 1);
    });

    it('ignores X-Forwarded-For: a loopback peer is let in whatever the header claims', async () => {
      const res = await call(running.baseUrl, 'GET', '/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } });
      expect(res.status).toBe(200);
    });

    // The decision itself is unit-tested in apps/api/src/metrics/loopback.spec.ts; this calls it for real from another interface.
    (externalAddress ? it : it.skip)(
      'answers a caller from a non-loopback address with the 404 of a route that does not exist',
      async () => {
        const server: Server = createServer(running.app.getHttpAdapter().getInstance());
        await new Promise<void>((resolve) => server.listen(0, externalAddress, resolve));
        try {
          const base = `http://${externalAddress}:${(server.address() as AddressInfo).port}`;
          const refused = await call(base, 'GET', '/metrics?x=1', { token: world.admin.token });
          const missing = await call(base, 'GET', '/metricz?x=1');
          expect(refused.status).toBe(404);
          expect(refused.body).toEqual({ ...missing.body, message: 'Cannot GET /metrics?x=1' });
          expect(refused.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
          // Neither a header claiming loopback nor an admin's token changes the answer.
          expect(
            (
              await call(base, 'GET', '/metrics', {
                headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' },
              })
            ).status,
          ).toBe(404);
          // The same app, from loopback, still answers: it is the caller's address that decided.
          expect((await fetch(`${running.baseUrl}/metrics`)).status).toBe(200);
        } finally {
          await new Promise((resolve) => server.close(resolve));
        }
      },
    );
  });

  describe('/api/docs', () => {
    let doc: any;
    beforeAll(async () => {
      const res = await fetch(`${running.baseUrl}/api/docs-json`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      doc = await res.json();
    });

    it('serves a valid OpenAPI 3 document, without a token', async () => {
      expect(doc.openapi).toMatch(/^3\./);
      // Validates against the OpenAPI 3 schema and resolves every $ref (it mutates its argument, so give it a copy).
      await expect(SwaggerParser.validate(structuredClone(doc))).resolves.toBeDefined();
      expect(doc.info).toMatchObject({ title: 'Praxis API' });
    });

    it('lists the routes of the product contract that exist', () => {
      const operations = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(operations).toEqual(
        expect.arrayContaining([
          'POST /api/auth/login',
          'POST /api/organisations',
          'POST /api/organisations/{orgId}/members',
          'POST /api/researchers',
          'POST /api/reflections',
          'GET /api/reflections',
          'GET /api/reflections/{id}',
          'GET /api/reflections/{id}/history',
          'PATCH /api/reflections/{id}',
          'DELETE /api/reflections/{id}',
          'GET /api/me/trends',
          'PUT /api/me/research-consent',
          'GET /api/me/export',
          'POST /api/me/erase',
          'POST /api/research/exports',
          'GET /api/research/exports/{id}',
          'GET /health',
          'GET /health/live',
          'GET /health/ready',
        ]),
      );
      // Web pages (HTML, session cookie) and /metrics are not part of the JSON API.
      expect(operations.filter((o) => !/^[A-Z]+ \/(api\/|health(\/live|\/ready)?$)/.test(o))).toEqual([]);
      expect(operations.filter((o) => o.includes('/api/docs'))).toEqual([]);
    });

    it('documents bearer auth, and which routes need it, from the same decorators the guard reads', () => {
      expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
      expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
      expect(doc.paths['/health'].get.security).toEqual([]);
      const record = doc.paths['/api/reflections'].post;
      expect(record.security).toEqual([{ bearer: [] }]);
      expect(record.description).toContain('Who: worker.');
      expect(record.responses).toHaveProperty('401');
      expect(record.responses).toHaveProperty('403');
      expect(doc.paths['/api/research/exports'].post.responses).toHaveProperty('404');
      expect(doc.paths['/api/me'].get.description).toContain('Who: any signed-in account.');
    });

    it('shows the request bodies from the DTOs, with required fields and codes', () => {
      const bodyOf = (path: string, method: string) => {
        const ref: string = doc.paths[path][method].requestBody.content['application/json'].schema.$ref;
        return doc.components.schemas[ref.split('/').pop() as string];
      };
      const reflection = bodyOf('/api/reflections', 'post');
      expect(reflection.required).toEqual(
        expect.arrayContaining(['occurredOn', 'whatHappened', 'ladderRung', 'resourcePressure']),
      );
      expect(reflection.properties.ladderRung.enum).toEqual([
        'coercion',
        'educating',
        'informing',
        'consultation',
        'engagement',
        'co_design',
        'co_production',
      ]);
      expect(reflection.properties.challenges).toMatchObject({
        type: 'array',
        items: { enum: expect.arrayContaining(['power_and_risk']) },
      });
      expect(Object.keys(reflection.properties)).toHaveLength(15);
      expect(bodyOf('/api/reflections/{id}', 'patch').required ?? []).toEqual([]);
      expect(bodyOf('/api/auth/login', 'post')).toMatchObject({
        required: ['email', 'password'],
        properties: { email: { type: 'string' } },
      });
      expect(bodyOf('/api/organisations/{orgId}/members', 'post').properties.role.enum).toEqual(['worker', 'leader']);
      expect(bodyOf('/api/me/research-consent', 'put')).toMatchObject({
        required: ['granted'],
        properties: { granted: { type: 'boolean' } },
      });
      expect(doc.paths['/api/reflections'].post.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'idempotency-key' })]),
      );
      expect(
        doc.paths['/api/reflections'].get.parameters
          .map((p: { name: string; in: string }) => `${p.in} ${p.name}`)
          .sort(),
      ).toEqual(['query cursor', 'query limit']);
    });

    it('serves the browsable page as HTML, without a token', async () => {
      const res = await fetch(`${running.baseUrl}/api/docs`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await res.text()).toContain('<div id="swagger-ui"></div>');
    });
  });
});
