import { parse } from 'csv-parse/sync';
import { EMAIL_MAX_LENGTH, isMemberRole, MemberRole } from '@praxis/identity';

export interface InviteRow {
  email: string;
  role: MemberRole;
  teamId: string | null;
}

/** Most rows one paste may hold: each becomes an invitation mail. */
export const CSV_MAX_ROWS = 500;
/** A row as csv-parse gives it with `info`: its values and the line it ends on. */
type LocatedRecord = { record: string[]; info: { lines: number } };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const isLocated = (value: unknown): value is LocatedRecord => {
  const row = value as Partial<LocatedRecord> | null;
  return (
    !!row &&
    Array.isArray(row.record) &&
    row.record.every((cell) => typeof cell === 'string') &&
    typeof row.info?.lines === 'number'
  );
};

/**
 * "email, role, team" a line (a header line is optional; team by name, may be
 * empty). Every problem is reported with the number of its line in the box as
 * pasted (a header line and blank lines count, as the person sees them), so a
 * person can fix the sheet and paste it again; one bad row means nobody is invited.
 */
export function parseInviteCsv(
  csv: string,
  teams: { id: string; name: string }[],
): { rows: InviteRow[] } | { errors: string[] } {
  let parsed: unknown[];
  try {
    // With `info`, each record comes with where it ends; the library's types do not say so, so it is checked here.
    parsed = parse(csv, { skip_empty_lines: true, trim: true, relax_column_count: true, info: true });
  } catch (error) {
    return { errors: [`The CSV could not be read: ${(error as Error).message}.`] };
  }
  if (!parsed.every(isLocated)) return { errors: ['The CSV could not be read.'] };
  let records: LocatedRecord[] = parsed;
  if (records.length && records[0].record[0]?.toLowerCase() === 'email') records = records.slice(1);
  if (records.length === 0) return { errors: ['Paste at least one line: email, role, team.'] };
  if (records.length > CSV_MAX_ROWS)
    return { errors: [`At most ${CSV_MAX_ROWS} people at a time (this has ${records.length}).`] };
  const byName = new Map(teams.map((t) => [t.name.toLowerCase(), t.id]));
  const seen = new Set<string>();
  const rows: InviteRow[] = [];
  const errors: string[] = [];
  records.forEach(({ record, info }) => {
    const [email = '', role = '', team = ''] = record;
    const line = `Line ${firstLineOf(record, info.lines)}:`;
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

/** csv-parse counts lines up to a record's end; a quoted value may span several, and the person looks for where it starts. */
function firstLineOf(record: string[], lastLine: number): number {
  return lastLine - record.reduce((n, value) => n + (value.match(/\n/g)?.length ?? 0), 0);
}
