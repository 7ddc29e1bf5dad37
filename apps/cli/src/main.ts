import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigError, Database } from '@praxis/common';
import { bench } from './bench/main';
import { createAdmin } from './commands/create-admin';
import { rebuild } from './commands/rebuild';

/** `npm run cli -- <command>`: operational commands that need no HTTP server. */
const commands: Record<string, { help: string; run: (args: string[]) => Promise<void> }> = {
  migrate: {
    help: 'apply pending migrations to the configured database',
    run: async () => {
      const database = await Database.open(AppConfig.fromEnv(), [], false);
      try {
        const applied = await database.migrate();
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'the database is up to date');
      } finally {
        await database.close();
      }
    },
  },
  bench: { help: 'run the benchmarks and print their figures', run: bench },
  rebuild: { help: 'rebuild every read model from the log, beside the live tables, then swap', run: rebuild },
  'create-admin': {
    help: 'create an admin account: create-admin <email> (password from PRAXIS_ADMIN_PASSWORD or a prompt)',
    run: createAdmin,
  },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.log(
      `usage: praxis <command>\n\n${Object.entries(commands)
        .map(([n, c]) => `  ${n.padEnd(14)} ${c.help}`)
        .join('\n')}`,
    );
    process.exit(name ? 2 : 0);
  }
  if (process.env.PRAXIS_LOG !== 'verbose') Logger.overrideLogger(['warn', 'error']);
  await command.run(args);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `praxis: ${error.message}` : error);
    process.exit(1);
  },
);
