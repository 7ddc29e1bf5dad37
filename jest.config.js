/**
 * One command runs every level: unit (*.spec.ts, no database), integration
 * (*.int-spec.ts, a real database) and end-to-end (test/*.e2e-spec.ts, real HTTP).
 * With DATABASE_URL they use that server (each suite in a schema of its own);
 * without it, each suite starts an in-memory PGlite.
 */
const moduleNameMapper = {
  '^@praxis/testing$': '<rootDir>/libs/common/src/testing/index.ts',
  '^@praxis/migrations$': '<rootDir>/migrations/index.ts',
  '^@praxis/(.*)$': '<rootDir>/libs/$1/src/index.ts',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = {
  rootDir: __dirname,
  testTimeout: 120_000,
  setupFilesAfterEnv: ['<rootDir>/test/jest-setup.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testEnvironment: 'node',
  moduleNameMapper,
  transform,
};

module.exports = {
  testTimeout: 120_000,
  // PGlite instances are large; two suites at a time is what 2 cores carry well.
  maxWorkers: 2,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
