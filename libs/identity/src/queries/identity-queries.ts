import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@praxis/common';
import { IdentityErrors } from '../domain/identity-errors';

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
}

/** Reads of the identity tables for admins and leaders; scope is checked by the route's guard. */
@Injectable()
export class IdentityQueries {
  constructor(private readonly dataSource: DataSource) {}

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

  async members(organisationId: string): Promise<MemberView[]> {
    await this.organisation(organisationId);
    const rows: { id: string; email: string; role: string; organisation_id: string; team_id: string | null; joined_at: Date }[] =
      await this.dataSource.query(
        `SELECT a.id, a.email, m.role, m.organisation_id, m.team_id, m.joined_at
           FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.organisation_id = $1 ORDER BY lower(a.email)`,
        [organisationId],
      );
    return rows.map((r) => ({
      id: r.id,
      email: r.email,
      role: r.role,
      organisationId: r.organisation_id,
      team: r.team_id,
      joinedAt: r.joined_at.toISOString(),
    }));
  }
}
