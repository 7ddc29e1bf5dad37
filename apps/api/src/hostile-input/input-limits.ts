import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Deeper than any Praxis body needs (the reflection nests two levels); shallow enough that no validator recurses far. */
export const MAX_JSON_DEPTH = 16;
/** Keys in one body, all levels together: a reflection has about twenty. */
export const MAX_JSON_KEYS = 1000;

/**
 * Names that reach Object.prototype or shadow its methods: a body or query with
 * one of them as a key is refused, whatever route it is for.
 */
export const FORBIDDEN_KEYS = new Set([
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
]);

/** A refusal the error filters turn into a 400 with this message (body-parser's error shape: status and type). */
export class RefusedInputError extends Error {
  readonly status = 400;
  readonly statusCode = 400;
  readonly expose = true;
  readonly type = 'entity.refused';
}

const OPEN_OBJECT = 0x7b;
const OPEN_ARRAY = 0x5b;
const CLOSE_OBJECT = 0x7d;
const CLOSE_ARRAY = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;

/**
 * Runs on the raw bytes before JSON.parse (body-parser's `verify`): one pass, no
 * recursion, so a body nested 100 000 deep is refused before anything walks it.
 */
export function checkJsonShape(_req: IncomingMessage, _res: unknown, raw: Buffer): void {
  let depth = 0;
  let keys = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
      continue;
    }
    if (byte === QUOTE) inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
      if (++depth > MAX_JSON_DEPTH)
        throw new RefusedInputError(`The request body nests deeper than ${MAX_JSON_DEPTH} levels`);
    } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) depth--;
    else if (byte === COLON && ++keys > MAX_JSON_KEYS) {
      throw new RefusedInputError(`The request body has more than ${MAX_JSON_KEYS} fields`);
    }
  }
}

/** The first forbidden key in a parsed value, as a path (`advocacy.__proto__`), or undefined. */
export function forbiddenKeyIn(value: unknown, path = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const here = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return here;
    const found = forbiddenKeyIn((value as Record<string, unknown>)[key], here);
    if (found) return found;
  }
  return undefined;
}

/** After the body parsers: refuses forbidden keys in the body and the query string, on every route. */
export function refuseForbiddenKeys(): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const key = forbiddenKeyIn(req.body as unknown) ?? forbiddenKeyIn(req.query as unknown);
    if (key) {
      next(new RefusedInputError(`The field "${key}" is not allowed: remove it and send the request again`));
      return;
    }
    next();
  };
}
