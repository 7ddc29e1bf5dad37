/**
 * Who counts as an author in the leaders' figures: the one place that reads
 * account state. An account that is not active — invited and never signed
 * up, or erased — counts for nothing, whatever its reflections. (An author
 * with no account row at all is someone the log knows and identity never
 * held, as in imported or generated logs; the journal only lets active
 * accounts write.) `author` is the SQL expression of the author's id.
 */
export const countsAsAuthor = (author: string): string =>
  `NOT EXISTS (SELECT 1 FROM accounts acc WHERE acc.id = ${author} AND acc.activated_at IS NULL)`;
