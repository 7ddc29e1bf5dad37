import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@praxis/common';
import { dropTestSchema, testConfig } from '@praxis/testing';
import { createAdmin } from './create-admin';

describe('praxis create-admin', () => {
  it('creates an admin once, asks for the password when configuration has none, and refuses a short one', async () => {
    // One server schema, or one PGlite directory, across the calls, as a real database would be.
    const dir = mkdtempSync(join(tmpdir(), 'praxis-cli-'));
    const config = testConfig('cli_create_admin', process.env.DATABASE_URL ? {} : { PRAXIS_DATA_DIR: dir });
    const printed: string[] = [];
    const io = (password: string) => ({
      readPassword: async () => password,
      print: (line: string) => printed.push(line),
    });
    try {
      await expect(createAdmin(['boss@example.org'], config, io('short'))).rejects.toThrow(ConfigError);
      await createAdmin(['boss@example.org'], config, io('a long enough password'));
      await createAdmin(
        ['BOSS@example.org'],
        config.with({ adminPassword: 'ignored: the account exists' }),
        io('unused'),
      );
      expect(printed[0]).toMatch(/^created admin boss@example.org/);
      expect(printed[1]).toMatch(/already exists; nothing changed/);
      await expect(createAdmin([], config, io('x'))).rejects.toThrow(/usage/);
    } finally {
      await dropTestSchema(config);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
