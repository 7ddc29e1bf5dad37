import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Module } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NestFactory } from '@nestjs/core';
import { AppConfig, ConfigError, ConfigModule, DatabaseModule, DomainError } from '@praxis/common';
import { EventStoreModule } from '@praxis/event-store';
import { EnsureAdminCommand, IdentityModule } from '@praxis/identity';

export interface CreateAdminIo {
  /** Asks for the password when configuration has none (hidden on a terminal). */
  readPassword(prompt: string): Promise<string>;
  print(line: string): void;
}

/**
 * `praxis create-admin <email>`: creates an admin account, or says the email
 * is taken and changes nothing. The password comes from PRAXIS_ADMIN_PASSWORD
 * or is asked for — never from the command line, where `ps` would show it.
 * With the embedded database, stop the server first: PGlite allows one process.
 */
export async function createAdmin(
  args: string[],
  config: AppConfig = AppConfig.fromEnv(),
  io: CreateAdminIo = terminalIo(),
): Promise<void> {
  const email = args.find((a) => !a.startsWith('-')) ?? config.adminEmail;
  if (!email)
    throw new ConfigError(
      'usage: praxis create-admin <email>  (or set PRAXIS_ADMIN_EMAIL); the password comes from PRAXIS_ADMIN_PASSWORD or a prompt',
    );
  const password = config.adminPassword ?? (await io.readPassword(`Password for ${email} (at least 12 characters): `));

  @Module({
    imports: [
      ConfigModule.forRoot(config.with({ runProjections: false })),
      DatabaseModule.forRoot(),
      EventStoreModule,
      IdentityModule,
    ],
  })
  class CreateAdminModule {}

  const ctx = await NestFactory.createApplicationContext(CreateAdminModule, { logger: ['warn', 'error'] });
  try {
    const result = await ctx.get(CommandBus).execute(new EnsureAdminCommand(email, password));
    io.print(
      result.created
        ? `created admin ${email} (${result.id})`
        : `an account with the email ${email} already exists; nothing changed`,
    );
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'invalid') throw new ConfigError(error.message);
    throw error;
  } finally {
    await ctx.close();
  }
}

function terminalIo(): CreateAdminIo {
  return {
    print: (line) => console.log(line),
    readPassword: (prompt) =>
      new Promise((resolve) => {
        const tty = process.stdin.isTTY;
        if (tty) process.stdout.write(prompt);
        // On a terminal, readline echoes what is typed to its output: give it one that shows nothing.
        const output = tty ? new Writable({ write: (_chunk, _encoding, done) => done() }) : process.stdout;
        const rl = createInterface({ input: process.stdin, output, terminal: tty });
        rl.once('line', (line) => {
          rl.close();
          if (tty) process.stdout.write('\n');
          resolve(line);
        });
      }),
  };
}
