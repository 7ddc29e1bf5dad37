import { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandBus } from '@nestjs/cqrs';
import {
  AddMemberCommand,
  CreateOrganisationCommand,
  CreateTeamCommand,
  RegisterAccountCommand,
  SYSTEM,
} from '@praxis/identity';

export const PASSWORD = 'correct horse battery staple';

export interface Account {
  id: string;
  email: string;
  token: string;
}

/** Two organisations (A with two teams, B with one) and one account of each kind; built through the handlers, so the events are real. */
export interface World {
  orgA: string;
  orgB: string;
  teamA1: string;
  teamA2: string;
  teamB1: string;
  admin: Account;
  leaderA: Account;
  workerA: Account;
  leaderB: Account;
  workerB: Account;
  researcher: Account;
}

export async function buildWorld(app: INestApplication, baseUrl: string, tag = 'w'): Promise<World> {
  const commands = app.get(CommandBus);
  const orgA = (await commands.execute(new CreateOrganisationCommand('Org A', SYSTEM))).id;
  const orgB = (await commands.execute(new CreateOrganisationCommand('Org B', SYSTEM))).id;
  const teamA1 = (await commands.execute(new CreateTeamCommand(orgA, 'A1', SYSTEM))).id;
  const teamA2 = (await commands.execute(new CreateTeamCommand(orgA, 'A2', SYSTEM))).id;
  const teamB1 = (await commands.execute(new CreateTeamCommand(orgB, 'B1', SYSTEM))).id;
  const email = (name: string) => `${name}.${tag}@example.org`;
  const member = (organisationId: string, name: string, role: 'worker' | 'leader', teamId: string | null) =>
    commands.execute(
      new AddMemberCommand({ organisationId, email: email(name), password: PASSWORD, role, teamId }, SYSTEM),
    );
  const created = {
    admin: await commands.execute(new RegisterAccountCommand(email('admin'), PASSWORD, 'admin', SYSTEM)),
    leaderA: await member(orgA, 'leader-a', 'leader', null),
    workerA: await member(orgA, 'worker-a', 'worker', teamA1),
    leaderB: await member(orgB, 'leader-b', 'leader', teamB1),
    workerB: await member(orgB, 'worker-b', 'worker', teamB1),
    researcher: await commands.execute(new RegisterAccountCommand(email('researcher'), PASSWORD, 'researcher', SYSTEM)),
  };
  const withToken = async (a: { id: string; email: string }): Promise<Account> => ({
    ...a,
    token: await login(baseUrl, a.email, PASSWORD),
  });
  return {
    orgA,
    orgB,
    teamA1,
    teamA2,
    teamB1,
    admin: await withToken(created.admin),
    leaderA: await withToken(created.leaderA),
    workerA: await withToken(created.workerA),
    leaderB: await withToken(created.leaderB),
    workerB: await withToken(created.workerB),
    researcher: await withToken(created.researcher),
  };
}

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** One HTTP request; `body` is sent as JSON unless `raw` is given. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.raw !== undefined) {
    payload = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${baseUrl}${path}`, { method, headers, body: payload, redirect: 'manual' });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // an HTML page or plain text
  }
  return { status: res.status, body, headers: res.headers };
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const res = await call(baseUrl, 'POST', '/api/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login as ${email} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/** Row counts of everything identity writes, to show a rejected request wrote nothing. */
export async function identityCounts(dataSource: DataSource): Promise<Record<string, number>> {
  const [row] = await dataSource.query(`
    SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM accounts)::int AS accounts,
           (SELECT count(*) FROM organisations)::int AS organisations, (SELECT count(*) FROM teams)::int AS teams,
           (SELECT count(*) FROM memberships)::int AS memberships, (SELECT count(*) FROM web_sessions)::int AS sessions`);
  return row;
}
