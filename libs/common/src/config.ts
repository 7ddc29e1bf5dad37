import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from './errors';

/**
 * All configuration, read once at start-up, validated, then injected.
 * Nothing else in Praxis reads process.env.
 */
export interface ConfigValues {
  readonly production: boolean;
  readonly port: number;
  /** The address to listen on: loopback unless HOST says otherwise (0.0.0.0 in production). */
  readonly host: string;
  /** Mail: an smtp:// or smtps:// URL; undefined writes each mail as an .eml file in <dataDir>/outbox (never in production). */
  readonly smtpUrl?: string;
  /** The sender of every mail. */
  readonly mailFrom: string;
  /** The base of every link in a mail (no trailing slash). */
  readonly publicUrl: string;
  /** PostgreSQL server URL; undefined means the embedded PGlite database. */
  readonly databaseUrl?: string;
  /** Schema to use on the server (tests give each suite its own). */
  readonly databaseSchema?: string;
  /** Where PGlite keeps its files; `memory://` keeps them in memory (tests). */
  readonly dataDir: string;
  readonly minCohort: number;
  /** Days after a quarter ends before leaders see it (and it is published, then frozen). */
  readonly publishAfterDays: number;
  readonly demo: boolean;
  /** How many weeks of demo reflections to seed (two years by default). */
  readonly demoWeeks: number;
  readonly tokenSecret: string;
  /** 32 bytes that wrap every per-person key. */
  readonly masterKey: Buffer;
  readonly adminEmail?: string;
  readonly adminPassword?: string;
  /** Run the async projections inside this process (the api) or not. */
  readonly runProjections: boolean;
  readonly projectionPollMs: number;
  /**
   * Which proxies in front of the api to believe about the client's address
   * (express "trust proxy"): a number of hops, or addresses, subnets and the
   * names loopback, linklocal, uniquelocal. Undefined: the peer is the client.
   */
  readonly trustProxy?: number | string[];
  /** pino level for the logs (`silent` in tests). */
  readonly logLevel: LogLevel;
  /** Pretty, coloured lines for a person at a terminal; one JSON object a line otherwise. */
  readonly logPretty: boolean;
  /** After SIGTERM, how long readiness answers 503 before the server stops taking connections. */
  readonly shutdownDelayMs: number;
  /** How many api processes main.ts runs on one port (the cores by default); the embedded database allows one. */
  readonly apiProcesses: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface AppConfig extends ConfigValues {}
export class AppConfig {
  private constructor(init: ConfigValues) {
    Object.assign(this, init);
  }

  get embedded(): boolean {
    return this.databaseUrl === undefined;
  }

  static fromEnv(env: NodeJS.ProcessEnv = process.env): AppConfig {
    const production = env.NODE_ENV === 'production';
    const databaseUrl = nonEmpty(env.DATABASE_URL);
    const dataDir = nonEmpty(env.PRAXIS_DATA_DIR) ?? './data';
    const minCohort = int(env, 'PRAXIS_MIN_COHORT', 5);
    if (minCohort < 3) {
      throw new ConfigError(
        `PRAXIS_MIN_COHORT must be at least 3 (got ${minCohort}): smaller groups can single a person out`,
      );
    }
    const demoDefault = databaseUrl === undefined && !production;
    const demo = bool(env, 'PRAXIS_DEMO', demoDefault);
    if (demo && production) {
      throw new ConfigError(
        'PRAXIS_DEMO cannot be on when NODE_ENV=production: demo accounts have published passwords',
      );
    }
    const secrets = resolveSecrets(env, production, databaseUrl === undefined ? dataDir : undefined);
    const port = int(env, 'PORT', 3000);
    const mail = mailSettings(env, production, port);
    return new AppConfig({
      production,
      port,
      host: nonEmpty(env.HOST) ?? (production ? '0.0.0.0' : '127.0.0.1'),
      ...mail,
      databaseUrl,
      databaseSchema: nonEmpty(env.DATABASE_SCHEMA),
      dataDir,
      minCohort,
      publishAfterDays: int(env, 'PRAXIS_PUBLISH_AFTER_DAYS', 14),
      demo,
      demoWeeks: int(env, 'PRAXIS_DEMO_WEEKS', 104),
      tokenSecret: secrets.tokenSecret,
      masterKey: secrets.masterKey,
      adminEmail: nonEmpty(env.PRAXIS_ADMIN_EMAIL),
      adminPassword: nonEmpty(env.PRAXIS_ADMIN_PASSWORD),
      runProjections: bool(env, 'PRAXIS_RUN_PROJECTIONS', true),
      projectionPollMs: int(env, 'PRAXIS_PROJECTION_POLL_MS', 1000),
      trustProxy: trustProxy(nonEmpty(env.PRAXIS_TRUST_PROXY)),
      ...logging(env, production),
      shutdownDelayMs: int(env, 'PRAXIS_SHUTDOWN_DELAY_MS', production ? 5000 : 0),
      apiProcesses: apiProcesses(env),
    });
  }

  /** A copy with some fields replaced (tests, the worker). */
  with(overrides: Partial<ConfigValues>): AppConfig {
    return new AppConfig({ ...(this as ConfigValues), ...overrides });
  }
}

function apiProcesses(env: NodeJS.ProcessEnv): number {
  const processes = int(env, 'PRAXIS_API_PROCESSES', availableParallelism());
  if (processes < 1) throw new ConfigError('PRAXIS_API_PROCESSES must be at least 1');
  return processes;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number (got "${raw}")`);
  return Number(raw);
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = nonEmpty(env[name])?.toLowerCase();
  if (raw === undefined) return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off (got "${raw}")`);
}

/**
 * PRAXIS_SMTP_URL, PRAXIS_MAIL_FROM, PRAXIS_PUBLIC_URL. Production must name a
 * mail server: an invitation written to a file on a server nobody reads is lost.
 */
function mailSettings(
  env: NodeJS.ProcessEnv,
  production: boolean,
  port: number,
): Pick<ConfigValues, 'smtpUrl' | 'mailFrom' | 'publicUrl'> {
  const smtpUrl = nonEmpty(env.PRAXIS_SMTP_URL);
  if (smtpUrl === undefined && production) {
    throw new ConfigError(
      'NODE_ENV=production requires PRAXIS_SMTP_URL (smtp://user:password@host:587 or smtps://…): ' +
        'invitations and password resets go by mail',
    );
  }
  if (smtpUrl !== undefined && !/^smtps?:$/.test(urlOrNull(smtpUrl)?.protocol ?? '')) {
    throw new ConfigError('PRAXIS_SMTP_URL must be an smtp:// or smtps:// URL');
  }
  const publicUrl = (nonEmpty(env.PRAXIS_PUBLIC_URL) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:$/.test(urlOrNull(publicUrl)?.protocol ?? '')) {
    throw new ConfigError(`PRAXIS_PUBLIC_URL must be an http:// or https:// URL (got "${publicUrl}")`);
  }
  if (production && nonEmpty(env.PRAXIS_PUBLIC_URL) === undefined) {
    throw new ConfigError(
      'NODE_ENV=production requires PRAXIS_PUBLIC_URL: the links in invitation mails are built on it',
    );
  }
  const mailFrom = nonEmpty(env.PRAXIS_MAIL_FROM) ?? 'Praxis <praxis@localhost>';
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom))
    throw new ConfigError('PRAXIS_MAIL_FROM must be one address, such as "Praxis <praxis@example.org>"');
  return { smtpUrl, mailFrom, publicUrl };
}

function urlOrNull(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** JSON lines unless a person runs it in a terminal (NODE_ENV unset and a TTY); PRAXIS_LOG_FORMAT decides otherwise. */
function logging(env: NodeJS.ProcessEnv, production: boolean): { logLevel: LogLevel; logPretty: boolean } {
  const level = (nonEmpty(env.PRAXIS_LOG_LEVEL)?.toLowerCase() ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(level))
    throw new ConfigError(`PRAXIS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${level}")`);
  const format = nonEmpty(env.PRAXIS_LOG_FORMAT)?.toLowerCase();
  if (format !== undefined && format !== 'json' && format !== 'pretty')
    throw new ConfigError(`PRAXIS_LOG_FORMAT must be json or pretty (got "${format}")`);
  const person = !production && env.NODE_ENV === undefined && process.stdout.isTTY === true;
  return { logLevel: level, logPretty: format === undefined ? person : format === 'pretty' };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * PRAXIS_TRUST_PROXY: off, a number of hops (1–10), or a comma list of
 * addresses, subnets (address/bits, bits ≥ 8 for IPv4, ≥ 16 for IPv6) and
 * names. "on", /0 and the like are refused: trusting every hop lets any client
 * write its own address, and the sign-in limits count by address.
 */
function trustProxy(raw: string | undefined): number | string[] | undefined {
  if (raw === undefined || ['0', 'off', 'false', 'no'].includes(raw.toLowerCase())) return undefined;
  const refuse = (what: string) =>
    new ConfigError(
      'PRAXIS_TRUST_PROXY must be off, a number of proxy hops from 1 to 10, ' +
        `or a comma list of addresses, subnets (10.0.0.0/8) and ${PROXY_NAMES.join(', ')} (got "${what}")`,
    );
  if (/^\d+$/.test(raw)) {
    if (Number(raw) > 10) throw refuse(raw);
    return Number(raw);
  }
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  return entries.map((entry) => {
    if (PROXY_NAMES.includes(entry.toLowerCase())) return entry.toLowerCase();
    const [address, bits, ...rest] = entry.split('/');
    const family = isIP(address);
    const shortest = family === 6 ? 16 : 8;
    const validBits =
      bits === undefined ||
      (/^\d+$/.test(bits) && Number(bits) >= shortest && Number(bits) <= (family === 6 ? 128 : 32));
    if (family === 0 || !validBits || rest.length > 0) throw refuse(entry);
    return entry;
  });
}

function decodeKey(name: string, raw: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
  if (key.length !== 32) throw new ConfigError(`${name} must be 32 bytes, as 64 hex digits or base64`);
  return key;
}

interface Secrets {
  tokenSecret: string;
  masterKey: Buffer;
}

/**
 * Production requires both secrets. The embedded database keeps generated ones
 * beside its data (so a restart can still read what it wrote); a server without
 * secrets outside production gets throwaway ones, and says so.
 */
function resolveSecrets(env: NodeJS.ProcessEnv, production: boolean, dataDir?: string): Secrets {
  const token = nonEmpty(env.PRAXIS_TOKEN_SECRET);
  const master = nonEmpty(env.PRAXIS_MASTER_KEY);
  if (production) {
    const missing = [!token && 'PRAXIS_TOKEN_SECRET', !master && 'PRAXIS_MASTER_KEY'].filter(Boolean);
    if (missing.length) throw new ConfigError(`NODE_ENV=production requires ${missing.join(' and ')} to be set`);
  }
  if (token && token.length < 32) throw new ConfigError('PRAXIS_TOKEN_SECRET must be at least 32 characters');
  if (token && master) return { tokenSecret: token, masterKey: decodeKey('PRAXIS_MASTER_KEY', master) };
  const kept = dataDir && !dataDir.startsWith('memory://') ? keptSecrets(dataDir) : undefined;
  const generated = kept ?? { tokenSecret: randomBytes(32).toString('base64url'), masterKey: randomBytes(32) };
  return {
    tokenSecret: token ?? generated.tokenSecret,
    masterKey: master ? decodeKey('PRAXIS_MASTER_KEY', master) : generated.masterKey,
  };
}

function keptSecrets(dataDir: string): Secrets {
  const dir = resolve(dataDir);
  const file = join(dir, 'secrets.json');
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { tokenSecret: string; masterKey: string };
    return { tokenSecret: parsed.tokenSecret, masterKey: decodeKey(`masterKey in ${file}`, parsed.masterKey) };
  }
  mkdirSync(dir, { recursive: true });
  const secrets = { tokenSecret: randomBytes(32).toString('base64url'), masterKey: randomBytes(32) };
  writeFileSync(
    file,
    JSON.stringify({ tokenSecret: secrets.tokenSecret, masterKey: secrets.masterKey.toString('hex') }),
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  return secrets;
}
