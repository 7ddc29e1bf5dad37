import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { SYSTEM } from '../commands/actor';
import { AddMemberCommand } from '../commands/add-member/add-member.command';
import { CreateOrganisationCommand } from '../commands/create-organisation/create-organisation.command';
import { CreateTeamCommand } from '../commands/create-team/create-team.command';
import { RegisterAccountCommand } from '../commands/register-account/register-account.command';
import { Role } from '../domain/roles';

/**
 * Demo accounts have a published password: demo mode is refused in
 * production (AppConfig), and only an empty database is seeded.
 */
export const DEMO_PASSWORD = 'praxis-demo-password';
export const DEMO_ORGANISATION = 'Riverside Community Services';
export const DEMO_TEAMS = ['Housing support', 'Peer recovery'] as const;
/** Six workers a team: enough that each team's trends clear k = 5 distinct authors. */
export const DEMO_WORKERS_PER_TEAM = 6;

export interface DemoAccount {
  email: string;
  role: Role;
  id: string;
  team?: string;
}

export interface DemoSeed {
  organisationId: string;
  teams: { id: string; name: string }[];
  password: string;
  accounts: DemoAccount[];
}

/** The demo organisation of the quick start: two teams, a leader, twelve workers, a researcher and an admin. */
@Injectable()
export class DemoSeeder {
  constructor(private readonly commands: CommandBus) {}

  async seed(): Promise<DemoSeed> {
    const org = await this.commands.execute(new CreateOrganisationCommand(DEMO_ORGANISATION, SYSTEM));
    const teams = [];
    for (const name of DEMO_TEAMS) teams.push(await this.commands.execute(new CreateTeamCommand(org.id, name, SYSTEM)));
    const accounts: DemoAccount[] = [];
    const password = DEMO_PASSWORD;
    const admin = await this.commands.execute(
      new RegisterAccountCommand('admin@praxis.example', password, 'admin', SYSTEM),
    );
    accounts.push({ email: admin.email, role: 'admin', id: admin.id });
    const leader = await this.commands.execute(
      new AddMemberCommand(
        { organisationId: org.id, email: 'leader@riverside.example', password, role: 'leader', teamId: null },
        SYSTEM,
      ),
    );
    accounts.push({ email: leader.email, role: 'leader', id: leader.id });
    let n = 0;
    for (const team of teams) {
      for (let i = 0; i < DEMO_WORKERS_PER_TEAM; i++) {
        const email = `worker${String(++n).padStart(2, '0')}@riverside.example`;
        const worker = await this.commands.execute(
          new AddMemberCommand({ organisationId: org.id, email, password, role: 'worker', teamId: team.id }, SYSTEM),
        );
        accounts.push({ email, role: 'worker', id: worker.id, team: team.name });
      }
    }
    const researcher = await this.commands.execute(
      new RegisterAccountCommand('researcher@praxis.example', password, 'researcher', SYSTEM),
    );
    accounts.push({ email: researcher.email, role: 'researcher', id: researcher.id });
    return { organisationId: org.id, teams: teams.map((t) => ({ id: t.id, name: t.name })), password, accounts };
  }
}
