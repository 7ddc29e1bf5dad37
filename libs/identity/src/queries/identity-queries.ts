import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@praxis/common';
import { STATUS_SQL } from '../accounts/account-store';
import { IdentityErrors } from '../domain/identity-errors';
import { MailOutbox, MailStatus } from '../mail/mail-outbox';

export interface OrganisationView {
  id: string;
  name: string;
  createdAt: string;
}
export interface TeamView {
  id: string;
  name: string;
  organisationId: string;
}
export interface MemberView {
  id: string;
  email: string;
  role: string;
  organisationId: string;
  team: string | null;
  joinedAt: string;
  /** `invited` until the person sets their own password. */
  status: 'invited' | 'active';
  /** The latest invitation mail, while the person has not accepted: `pending`, `sent` or `failed`. */
  invitationMail?: MailStatus;
}

export interface ResearcherView {
  id: string;
  email: string;
  role: 'researcher';
  status: 'invited' | 'active';
  invitationMail?: MailStatus;
}

/** Reads of the identity tables for admins and leaders; scope is checked by the route's guard. */
@Injectable()
export class IdentityQueries {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: MailOutbox,
  ) {}

  async organisationCount(): Promise<number> {
    const [row]: { n: string }[] = await this.dataSource.query(`SELECT count(*)::text AS n FROM organisations`);
    return Number(row.n);
  }

  async organisations(): Promise<OrganisationView[]> {
    const rows: { id: string; name: string; created_at: Date }[] = await this.dataSource.query(
      `SELECT id, name, created_at FROM organisations ORDER BY created_at, id`,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at.toISOString() }));
  }

  async organisation(id: string): Promise<OrganisationView> {
    const rows: { id: string; name: string; created_at: Date }[] = isUuid(id)
      ? await this.dataSource.query(`SELECT id, name, created_at FROM organisations WHERE id = $1`, [id])
      : [];
    if (!rows.length) throw IdentityErrors.organisationNotFound();
    return { id: rows[0].id, name: rows[0].name, createdAt: rows[0].created_at.toISOString() };
  }

  async teams(organisationId: string): Promise<TeamView[]> {
    await this.organisation(organisationId);
    const rows: { id: string; name: string; organisation_id: string }[] = await this.dataSource.query(
      `SELECT id, name, organisation_id FROM teams WHERE organisation_id = $1 ORDER BY lower(name), id`,
      [organisationId],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, organisationId: r.organisation_id }));
  }

  /** Every member but the erased, who leave no trace here: no placeholder, no gap that names them. */
  async members(organisationId: string): Promise<MemberView[]> {
    await this.organisation(organisationId);
    const rows: {
      id: string;
      email: string;
      role: string;
      organisation_id: string;
      team_id: string | null;
      joined_at: Date;
      status: string;
    }[] = await this.dataSource.query(
      `SELECT a.id, a.email, m.role, m.organisation_id, m.team_id, m.joined_at, ${STATUS_SQL} AS status
           FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.organisation_id = $1 AND (${STATUS_SQL}) IN ('invited', 'active') ORDER BY lower(a.email)`,
      [organisationId],
    );
    const mail = await this.outbox.invitationStatus(rows.filter((r) => r.status === 'invited').map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      organisationId: r.organisation_id,
      team: r.team_id,
      joinedAt: r.joined_at.toISOString(),
      status: r.status as MemberView['status'],
      ...(r.status === 'invited' ? { invitationMail: mail.get(r.id) ?? 'failed' } : {}),
    }));
  }

  async researchers(): Promise<ResearcherView[]> {
    const rows: { id: string; email: string; status: string }[] = await this.dataSource.query(
      `SELECT a.id, a.email, ${STATUS_SQL} AS status FROM accounts a
        WHERE a.role = 'researcher' AND (${STATUS_SQL}) IN ('invited', 'active') ORDER BY lower(a.email)`,
    );
    const mail = await this.outbox.invitationStatus(rows.filter((r) => r.status === 'invited').map((r) => r.id));
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: 'researcher' as const,
      status: r.status as ResearcherView['status'],
      ...(r.status === 'invited' ? { invitationMail: mail.get(r.id) ?? 'failed' } : {}),
    }));
  }
}
