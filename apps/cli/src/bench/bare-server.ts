import { createSecretKey, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { verify } from 'jsonwebtoken';
import { Pool } from 'pg';

/**
 * The HTTP bench's baseline (started by http.bench.ts as a process of its own):
 * a bare `node:http` handler that does the least any server taking a reflection
 * must do — verify the same HS256 bearer token, parse the JSON body, insert the
 * same event row with `pg` (a prepared statement) into a table shaped and indexed
 * like the log (`bare_events`, made by the bench) — and nothing else: no
 * validation, no account check, no sealing, no read model. What the api costs
 * on top of this is the framework and the product.
 */
const key = createSecretKey(Buffer.from(process.env.PRAXIS_TOKEN_SECRET ?? ''));
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  options: `-c search_path=${process.env.DATABASE_SCHEMA}`,
});
const INSERT = `INSERT INTO bare_events (stream_id, stream_version, event_id, type, schema_version, data, metadata, recorded_at)
  VALUES ($1, 1, $2, 'ReflectionRecorded', 1, $3, $4, now()) RETURNING global_position`;

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'POST' || req.url !== '/api/reflections') return answer(res, 404, { statusCode: 404 });
  const match = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
  let sub: string;
  try {
    const claims = verify(match?.[1] ?? '', key, {
      algorithms: ['HS256'],
      issuer: 'praxis',
      audience: 'praxis-api',
    }) as { sub: string };
    sub = claims.sub;
  } catch {
    return answer(res, 401, { statusCode: 401 });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return answer(res, 400, { statusCode: 400 });
  }
  const id = randomUUID();
  await pool.query({
    name: 'bare-insert',
    text: INSERT,
    values: [`reflection-${id}`, randomUUID(), JSON.stringify({ reflectionId: id, authorId: sub, fields: body }), '{}'],
  });
  answer(res, 201, { id, version: 1 });
}

const server = createServer((req, res) => {
  handle(req, res).catch(() => answer(res, 500, { statusCode: 500 }));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});
