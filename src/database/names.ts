/**
 * Naming rules shared by the UsersDatabase construct (checked at synth time) and the bootstrap
 * handler (checked again before any SQL runs). No imports: the handler bundle stays small.
 */

/** A plain, lower-case PostgreSQL identifier: quoting never changes its meaning. */
export const PG_IDENTIFIER_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

const IDENTIFIER_RULE = 'must match [a-z_][a-z0-9_]{0,62} (lower-case letters, digits and _, starting with a letter or _, at most 63 characters)';
const RESERVED_DATABASES = ['postgres', 'template0', 'template1', 'rdsadmin'];

/** Returns an error message if `value` cannot be the application database name, else undefined. */
export function databaseNameProblem(value: string): string | undefined {
  if (!PG_IDENTIFIER_PATTERN.test(value)) return IDENTIFIER_RULE;
  if (RESERVED_DATABASES.includes(value)) return `must not be one of the reserved databases ${RESERVED_DATABASES.join(', ')}`;
  return undefined;
}

/** Returns an error message if `value` cannot be a login role we create, else undefined. */
export function roleNameProblem(value: string): string | undefined {
  if (!PG_IDENTIFIER_PATTERN.test(value)) return IDENTIFIER_RULE;
  if (value.startsWith('pg_') || value.startsWith('rds')) return 'must not start with pg_ or rds (reserved by PostgreSQL and Amazon RDS)';
  if (value === 'public' || value === 'none') return 'must not be public or none (reserved role names)';
  return undefined;
}
