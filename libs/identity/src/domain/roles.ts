/** The four roles of PRODUCT.md; an account has exactly one. */
export const ROLES = ['admin', 'leader', 'worker', 'researcher'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that belong to an organisation (and optionally one of its teams). */
export const MEMBER_ROLES = ['worker', 'leader'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** Roles that stand outside every organisation. */
export const PLATFORM_ROLES = ['admin', 'researcher'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
export const isMemberRole = (value: unknown): value is MemberRole =>
  typeof value === 'string' && (MEMBER_ROLES as readonly string[]).includes(value);
