import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { DestinationStream, Logger } from 'pino';
import type { AppConfig } from '../config';

/**
 * Fields never written to a log, wherever they appear in a logged object. Request
 * and response headers are not logged at all (see request-logging.ts); these
 * catch what a message's own object might carry.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'accessToken',
  'email',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.token',
  '*.accessToken',
  '*.email',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
];

const EMAIL = /[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+\.[a-z]{2,}/gi;

/**
 * Start-up and domain messages name people by email now and then; the log never
 * keeps the address. Addresses under the reserved `.example` top-level domain are
 * the demo's published accounts (the README lists them) and stay readable.
 */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (address) => (/\.example$/i.test(address) ? address : '[email]'));
}

/** The request being served, so everything logged while serving it carries its `reqId`. */
export const requestContext = new AsyncLocalStorage<{ readonly reqId: string }>();

/** The process's logger: `service` names the app (praxis-api, praxis-worker). */
export function createRootLogger(config: AppConfig, service: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg: unknown) => (typeof arg === 'string' ? maskEmails(arg) : arg)) as Parameters<typeof method>,
        );
      },
    },
  };
  if (destination) return pino(options, destination);
  if (config.logPretty) {
    // Loaded only for a person at a terminal: the transport runs in a worker thread.
    return pino({
      ...options,
      transport: {
        target: 'pino-pretty',
        options: {
          colorize: true,
          translateTime: 'SYS:HH:MM:ss',
          ignore: 'pid,hostname,service,context',
          messageFormat: '{if context}[{context}] {end}{msg}',
        },
      },
    });
  }
  return pino(options);
}
