/**
 * Who counts as an author in the leaders' figures: the one place the trends
 * read account state. An account that is not active — invited and not yet
 * signed up (no `activated_at`, no password), or erased — counts for nothing,
 * whatever its reflections. Active means what identity's account store means
 * by it (activated, holding a password, not erased). An author with no account
 * row at all is someone the log knows and this database never held (an
 * imported or generated log); the journal lets only active accounts write.
 * `author` is the SQL expression of the author's id.
 */
export const countsAsAuthor = (author: string): string =>
  `NOT EXISTS (SELECT 1 FROM accounts acc WHERE acc.id = ${author}
                 AND (acc.activated_at IS NULL OR acc.erased_at IS NOT NULL OR acc.password_hash IS NULL))`;
