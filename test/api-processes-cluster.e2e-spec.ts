import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { AppConfig } from '@praxis/common';
import { dropTestSchema, onServer, testConfig } from '@praxis/testing';

const root = join(__dirname, '..');

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** One request on a connection of its own (no keep-alive), so each may reach another process. */
function servedBy(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/health/live', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

/**
 * `npm start` with PRAXIS_API_PROCESSES=2 on a PostgreSQL server: the built
 * main.js, as a service manager runs it. Signalling the whole process group
 * (as a terminal or systemd does) stops every process once, cleanly.
 */
(onServer() ? describe : describe.skip)('npm start with PRAXIS_API_PROCESSES=2', () => {
  let config: AppConfig;
  let child: ChildProcess | undefined;
  let output = '';
  beforeAll(() => {
    execFileSync(process.execPath, [join(root, 'scripts/ensure-build.js')], { cwd: root, stdio: 'ignore' });
    config = testConfig('api_cluster');
  }, 240_000);
  afterAll(async () => {
    if (child?.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    if (config) await dropTestSchema(config);
  });

  it('serves from two processes on one port, and stops both cleanly on one SIGTERM to the group', async () => {
    const port = await freePort();
    child = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
      cwd: root,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: config.databaseUrl,
        DATABASE_SCHEMA: config.databaseSchema,
        HOST: '127.0.0.1',
        PORT: String(port),
        PRAXIS_API_PROCESSES: '2',
        PRAXIS_DEMO: 'off',
        PRAXIS_LOG_FORMAT: 'json',
        PRAXIS_LOG_LEVEL: 'info',
        PRAXIS_TOKEN_SECRET: randomBytes(48).toString('base64'),
        PRAXIS_MASTER_KEY: randomBytes(32).toString('hex'),
      },
    });
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>;
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    while (!output.includes('2 api processes serving')) {
      if (child.exitCode !== null) throw new Error(`main.js exited ${child.exitCode}:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    for (let i = 0; i < 10; i++) expect(await servedBy(port)).toBe(200);
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { pid: number; msg: string; route?: string });
    const servers = new Set(lines.filter((l) => l.route === '/health/live').map((l) => l.pid));
    expect(servers.size).toBe(2);

    process.kill(-child.pid!, 'SIGTERM');
    const [code] = await exited;
    expect(code).toBe(0);
    expect(output.match(/"msg":"stopped: requests finished/g)).toHaveLength(2);
    expect(output).not.toContain('again while stopping');
    expect(output).toContain('"msg":"all api processes stopped"');
  });
});
