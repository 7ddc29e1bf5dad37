import fc from 'fast-check';
import { checkJsonShape, forbiddenKeyIn, MAX_JSON_DEPTH, MAX_JSON_KEYS } from './input-limits';

const check = (raw: string) => () => checkJsonShape({} as never, {}, Buffer.from(raw));
const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('the body limits, on the raw bytes', () => {
  it('takes JSON up to the depth limit and refuses one level more', () => {
    expect(check(deep(MAX_JSON_DEPTH))).not.toThrow();
    expect(check(deep(MAX_JSON_DEPTH + 1))).toThrow(/nests deeper than 16 levels/);
    expect(check(deep(100_000))).toThrow(/nests deeper/);
  });

  it('does not count brackets, colons or escaped quotes inside strings', () => {
    expect(check(JSON.stringify({ text: `${'['.repeat(100)} "quoted" \\ ${':'.repeat(2000)}` }))).not.toThrow();
  });

  it('refuses more keys than the limit', () => {
    const many = (n: number) => JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
    expect(check(many(MAX_JSON_KEYS))).not.toThrow();
    expect(check(many(MAX_JSON_KEYS + 1))).toThrow(/more than 1000 fields/);
  });

  it('agrees with JSON.parse about depth for any JSON value', () => {
    const depthOf = (v: unknown): number =>
      v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 20 }), (value) => {
        const raw = JSON.stringify(value);
        const refused = (() => {
          try {
            check(raw)();
            return false;
          } catch {
            return true;
          }
        })();
        expect(refused).toBe(depthOf(value) > MAX_JSON_DEPTH);
      }),
    );
  });
});

describe('forbidden keys', () => {
  it('finds a prototype key at any level, as a path', () => {
    expect(forbiddenKeyIn(JSON.parse('{"a":{"b":[{"__proto__":{}}]}}'))).toBe('a.b.0.__proto__');
    expect(forbiddenKeyIn({ advocacy: { toString: 'x' } })).toBe('advocacy.toString');
    expect(forbiddenKeyIn({ constructor: 1 })).toBe('constructor');
    expect(forbiddenKeyIn({ whatHappened: 'constructor and __proto__ in text are fine' })).toBeUndefined();
    expect(forbiddenKeyIn('plain')).toBeUndefined();
  });
});
