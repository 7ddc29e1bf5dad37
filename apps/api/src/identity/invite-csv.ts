import { parse } from 'csv-parse/sync';
import { EMAIL_MAX_LENGTH, isMemberRole, MemberRole } from '@praxis/identity';

export interface InviteRow {
  email: string;
  role: MemberRole;
  teamId: string | null;
}

/** Most rows one paste may hold: each becomes an invitation mail. */
export const CSV_MAX_ROWS = 500;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * "email, role, team" a line (a header line is optional; team by name, may be
 * empty). Every problem is reported with its line number, so a person can fix
 * the sheet and paste it again; one bad row means nobody is invited.
 */
export function parseInviteCsv(
  csv: string,
  teams: { id: string; name: string }[],
): { rows: InviteRow[] } | { errors: string[] } {
  let records: string[][];
  try {
    records = parse(csv, { skip_empty_lines: true, trim: true, relax_column_count: true });
  } catch (error) {
    return { errors: [`The CSV could not be read: ${(error as Error).message}.`] };
  }
  if (records.length && records[0][0]?.toLowerCase() === 'email') records = records.slice(1);
  if (records.length === 0) return { errors: ['Paste at least one line: email, role, team.'] };
  if (records.length > CSV_MAX_ROWS)
    return { errors: [`At most ${CSV_MAX_ROWS} people at a time (this has ${records.length}).`] };
  const byName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const seen = new Set<string>();
  const rows: InviteRow[] = [];
  const errors: string[] = [];
  records.forEach(([email = '', role = '', team = ''], i) => {
    const line = `Line ${i + 1}:`;
    if (!EMAIL.test(email) || email.length > EMAIL_MAX_LENGTH)
      errors.push(`${line} "${email.slice(0, 60)}" is not an email address.`);
    else if (seen.has(email.toLowerCase())) errors.push(`${line} ${email} is listed twice.`);
    seen.add(email.toLowerCase());
    const lowerRole = role.toLowerCase();
    if (!isMemberRole(lowerRole))
      errors.push(`${line} the role must be worker or leader (not "${role.slice(0, 30)}").`);
    const teamId = team ? byName.get(team.toLowerCase()) : null;
    if (teamId === undefined) errors.push(`${line} this organisation has no team called "${team.slice(0, 60)}".`);
    if (isMemberRole(lowerRole) && teamId !== undefined) rows.push({ email, role: lowerRole, teamId });
  });
  return errors.length ? { errors } : { rows };
}
