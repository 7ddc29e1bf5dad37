import { availableParallelism } from 'node:os';
import { AppConfig } from './config';
import { ConfigError } from './errors';

const KEY = 'a'.repeat(64);
const SECRET = 's'.repeat(40);
const MAIL = { PRAXIS_SMTP_URL: 'smtps://u:p@mail.example.org', PRAXIS_PUBLIC_URL: 'https://praxis.example.org' };

describe('AppConfig', () => {
  it('defaults to port 3000, the embedded database in ./data, k = 5 and demo on', () => {
    const config = AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://' });
    expect(config).toMatchObject({ port: 3000, embedded: true, minCohort: 5, publishAfterDays: 14, demo: true });
    expect(AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://', DATABASE_URL: 'postgres://x/test' }).demo).toBe(false);
  });

  it('refuses a cohort below 3', () => {
    expect(() => AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://', PRAXIS_MIN_COHORT: '2' })).toThrow(/at least 3/);
  });

  it('stops production without secrets, naming each missing one', () => {
    const env = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/db' };
    expect(() => AppConfig.fromEnv(env)).toThrow(ConfigError);
    expect(() => AppConfig.fromEnv(env)).toThrow('PRAXIS_TOKEN_SECRET and PRAXIS_MASTER_KEY');
    expect(() => AppConfig.fromEnv({ ...env, PRAXIS_TOKEN_SECRET: SECRET })).toThrow(/requires PRAXIS_MASTER_KEY/);
    expect(
      AppConfig.fromEnv({ ...env, ...MAIL, PRAXIS_TOKEN_SECRET: SECRET, PRAXIS_MASTER_KEY: KEY }).masterKey,
    ).toHaveLength(32);
  });

  it('stops production without a mail server or a public URL: invitations would never reach anyone', () => {
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x/db',
      PRAXIS_TOKEN_SECRET: SECRET,
      PRAXIS_MASTER_KEY: KEY,
    };
    expect(() => AppConfig.fromEnv({ ...env, PRAXIS_PUBLIC_URL: MAIL.PRAXIS_PUBLIC_URL })).toThrow(
      /requires PRAXIS_SMTP_URL/,
    );
    expect(() => AppConfig.fromEnv({ ...env, PRAXIS_SMTP_URL: MAIL.PRAXIS_SMTP_URL })).toThrow(
      /requires PRAXIS_PUBLIC_URL/,
    );
    expect(() => AppConfig.fromEnv({ ...env, ...MAIL, PRAXIS_SMTP_URL: 'http://mail.example.org' })).toThrow(
      /smtp:\/\/ or smtps:\/\//,
    );
    expect(() => AppConfig.fromEnv({ ...env, ...MAIL, PRAXIS_PUBLIC_URL: 'praxis.example.org' })).toThrow(
      /PRAXIS_PUBLIC_URL must be an http/,
    );
    expect(() => AppConfig.fromEnv({ ...env, ...MAIL, PRAXIS_MAIL_FROM: 'a@b.org\r\nBcc: x@y.org' })).toThrow(
      /PRAXIS_MAIL_FROM must be one address/,
    );
    const config = AppConfig.fromEnv({ ...env, ...MAIL, PRAXIS_PUBLIC_URL: 'https://praxis.example.org/' });
    expect(config).toMatchObject({
      smtpUrl: 'smtps://u:p@mail.example.org',
      publicUrl: 'https://praxis.example.org',
      host: '0.0.0.0',
    });
  });

  it('listens on loopback unless HOST says otherwise, and writes mail to files without a mail server', () => {
    const config = AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://' });
    expect(config).toMatchObject({ host: '127.0.0.1', smtpUrl: undefined, publicUrl: 'http://localhost:3000' });
    expect(AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://', HOST: '0.0.0.0', PORT: '8080' })).toMatchObject({
      host: '0.0.0.0',
      publicUrl: 'http://localhost:8080',
    });
  });

  it('never seeds demo data in production', () => {
    expect(() =>
      AppConfig.fromEnv({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://x/db',
        ...MAIL,
        PRAXIS_TOKEN_SECRET: SECRET,
        PRAXIS_MASTER_KEY: KEY,
        PRAXIS_DEMO: 'on',
      }),
    ).toThrow(/PRAXIS_DEMO/);
  });

  it('refuses malformed numbers and keys with a message that names the variable', () => {
    expect(() => AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://', PORT: 'eighty' })).toThrow(
      /PORT must be a whole number/,
    );
    expect(() =>
      AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://', PRAXIS_MASTER_KEY: 'short', PRAXIS_TOKEN_SECRET: SECRET }),
    ).toThrow(/PRAXIS_MASTER_KEY must be 32 bytes/);
  });

  it('believes no proxy unless told which, and refuses to believe every one', () => {
    const proxy = (value?: string) =>
      AppConfig.fromEnv({ PRAXIS_DATA_DIR: 'memory://', PRAXIS_TRUST_PROXY: value }).trustProxy;
    expect(proxy()).toBeUndefined();
    expect(proxy('off')).toBeUndefined();
    expect(proxy('1')).toBe(1);
    expect(proxy('Loopback, 10.0.0.0/8, fd00::1')).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    for (const bad of [
      'on',
      'true',
      '10.0.0.0/33',
      '0.0.0.0/0',
      '::/0',
      '10.0.0.0/4',
      '11',
      '99999999999',
      'proxy.example',
      '1.2.3',
    ]) {
      expect(() => proxy(bad)).toThrow(/PRAXIS_TRUST_PROXY must be off, a number of proxy hops/);
    }
  });

  it('logs JSON lines unless told otherwise or a person is at a terminal, and waits 5 s before stopping only in production', () => {
    const base = { PRAXIS_DATA_DIR: 'memory://' };
    // NODE_ENV set: a service manager, not a person at a terminal.
    expect(AppConfig.fromEnv({ ...base, NODE_ENV: 'test' })).toMatchObject({
      logLevel: 'info',
      logPretty: false,
      shutdownDelayMs: 0,
    });
    expect(AppConfig.fromEnv({ ...base, PRAXIS_LOG_FORMAT: 'pretty', PRAXIS_LOG_LEVEL: 'Debug' })).toMatchObject({
      logLevel: 'debug',
      logPretty: true,
    });
    expect(() => AppConfig.fromEnv({ ...base, PRAXIS_LOG_LEVEL: 'loud' })).toThrow(/PRAXIS_LOG_LEVEL must be one of/);
    expect(() => AppConfig.fromEnv({ ...base, PRAXIS_LOG_FORMAT: 'xml' })).toThrow(
      /PRAXIS_LOG_FORMAT must be json or pretty/,
    );
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://x/db',
      ...MAIL,
      PRAXIS_TOKEN_SECRET: SECRET,
      PRAXIS_MASTER_KEY: KEY,
    };
    expect(AppConfig.fromEnv(production)).toMatchObject({ logPretty: false, shutdownDelayMs: 5000 });
    expect(AppConfig.fromEnv({ ...production, PRAXIS_SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs).toBe(0);
  });

  it('runs as many api processes as there are cores unless PRAXIS_API_PROCESSES says otherwise', () => {
    const base = { PRAXIS_DATA_DIR: 'memory://' };
    expect(AppConfig.fromEnv(base).apiProcesses).toBe(availableParallelism());
    expect(AppConfig.fromEnv({ ...base, PRAXIS_API_PROCESSES: '3' }).apiProcesses).toBe(3);
    expect(() => AppConfig.fromEnv({ ...base, PRAXIS_API_PROCESSES: '0' })).toThrow(/at least 1/);
    expect(() => AppConfig.fromEnv({ ...base, PRAXIS_API_PROCESSES: 'all' })).toThrow(/whole number/);
  });
});
