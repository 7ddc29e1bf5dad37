import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { AppConfig, ConfigError, DomainError } from '@praxis/common';
import { DemoSeed, DemoSeeder, EnsureAdminCommand, IdentityQueries } from '@praxis/identity';
import { JournalDemo } from '@praxis/journal';

/**
 * At start-up: the first admin from PRAXIS_ADMIN_EMAIL / PRAXIS_ADMIN_PASSWORD
 * (if absent), then, in demo mode and only on a database with no
 * organisations, the demo organisation and two years of its workers'
 * reflections; the sign-in details are printed once.
 */
@Injectable()
export class IdentityStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    private readonly config: AppConfig,
    private readonly commands: CommandBus,
    private readonly queries: IdentityQueries,
    private readonly demo: DemoSeeder,
    private readonly journalDemo: JournalDemo,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bootstrapAdmin();
    if (this.config.demo && !this.config.production && (await this.queries.organisationCount()) === 0) {
      let seed: DemoSeed;
      try {
        seed = await this.demo.seed();
      } catch (error) {
        // Another process starting at the same moment on the same database is seeding it (organisation names are unique).
        if (error instanceof DomainError && error.code === 'ORGANISATION.NAME_TAKEN') return;
        throw error;
      }
      // Two years of reflections, so every page of the quick start shows something real.
      const teamIds = new Map(seed.teams.map((t) => [t.name, t.id]));
      const workers = seed.accounts
        .filter((a) => a.role === 'worker')
        .map((a) => ({
          id: a.id,
          organisationId: seed.organisationId,
          teamId: a.team ? (teamIds.get(a.team) ?? null) : null,
        }));
      await this.journalDemo.seed(workers, 2026, this.config.demoWeeks);
      this.logger.log(describeSeed(seed));
    }
  }

  private async bootstrapAdmin(): Promise<void> {
    const { adminEmail: email, adminPassword: password } = this.config;
    if (!email && !password) return;
    if (!email || !password) throw new ConfigError('PRAXIS_ADMIN_EMAIL and PRAXIS_ADMIN_PASSWORD must be set together');
    try {
      const result = await this.commands.execute(new EnsureAdminCommand(email, password));
      if (result.created) this.logger.log(`created the admin account ${email}`);
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'invalid')
        throw new ConfigError(`PRAXIS_ADMIN_EMAIL/PASSWORD: ${error.message}`);
      throw error;
    }
  }
}

function describeSeed(seed: DemoSeed): string {
  const lines = seed.accounts.map((a) => `  ${a.role.padEnd(10)} ${a.email}${a.team ? `  (${a.team})` : ''}`);
  return [
    'Demo data created. Sign in at /login (or POST /api/auth/login) with any of these accounts,',
    `all with the password "${seed.password}" — shown once; demo mode never runs in production:`,
    ...lines,
  ].join('\n');
}
