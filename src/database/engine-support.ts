/**
 * The RDS support calendar of PostgreSQL major versions: a version past the RDS end of standard
 * support still deploys, enrolled (and billed) in RDS Extended Support, for at most 3 years; one
 * past that, or one RDS no longer offers, is refused.
 *
 * Sources:
 * - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support.html ("available for up
 *   to 3 years past the RDS end of standard support date"; new databases on such a version are
 *   enrolled and charged), and .../extended-support-charges.html (charges per vCPU from the day
 *   after the end of standard support; they apply to Multi-AZ standbys too).
 * - End of standard support: PostgreSQL 11 February 29, 2024
 *   (https://aws.amazon.com/blogs/database/postgresql-11-upgrade-strategies-for-amazon-aurora-postgresql-and-amazon-rds-for-postgresql),
 *   12 February 28, 2025 (https://aws.amazon.com/blogs/database/upgrade-strategies-for-amazon-aurora-postgresql-and-amazon-rds-for-postgresql-12),
 *   13 February 28, 2026 (Extended Support from March 1, 2026); the calendar:
 *   https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html.
 *   The stored copies searched for this change hold the 11 and 12 dates verbatim but not the calendar row
 *   of 13; check a new row with `aws rds describe-db-major-engine-versions --engine postgres`
 *   (SupportedEngineLifecycles, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/extended-support-viewing-support-dates.html).
 * - Price: USD 0.10 per vCPU-hour in years 1 and 2, 0.20 in year 3 (us-east-1, provisioned instances;
 *   https://aws.amazon.com/rds/postgresql/pricing/, as summarized in
 *   https://www.cloudyali.io/blogs/rds-extended-support-cost-levers).
 */
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { PropError } from '../private/validate';
import { warn, WARNINGS } from '../private/warnings';

/** RDS end of standard support (last day, UTC) of the major versions that have one so far. */
export const END_OF_STANDARD_SUPPORT: { readonly [major: string]: string } = {
  11: '2024-02-29',
  12: '2025-02-28',
  13: '2026-02-28',
};
/** The oldest major version RDS offers at all (older ones never had Extended Support). */
const OLDEST_MAJOR = 11;
/** Years of RDS Extended Support after the end of standard support. */
const EXTENDED_SUPPORT_YEARS = 3;

/** The end of RDS Extended Support: `EXTENDED_SUPPORT_YEARS` after the end of standard support. */
function endOfExtendedSupport(endOfStandard: string): string {
  const date = new Date(`${endOfStandard}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  date.setUTCFullYear(date.getUTCFullYear() + EXTENDED_SUPPORT_YEARS);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Fails for a major version RDS no longer runs (older than 11, or past the end of Extended Support
 * on `today`); warns on `scope` for one in Extended Support, naming the date and the price.
 */
export function checkEngineSupport(version: rds.PostgresEngineVersion | undefined, scope?: IConstruct, today = new Date()): void {
  if (!version) return;
  const major = version.postgresMajorVersion;
  if (parseFloat(major) < OLDEST_MAJOR) {
    throw new PropError(`Invalid engineVersion ${version.postgresFullVersion}: RDS no longer creates PostgreSQL ${major} instances `
      + '(not even in RDS Extended Support); use a current major version such as rds.PostgresEngineVersion.VER_17.');
  }
  const endOfStandard = END_OF_STANDARD_SUPPORT[major];
  const day = today.toISOString().slice(0, 10);
  if (endOfStandard === undefined || day <= endOfStandard) return;
  const endOfExtended = endOfExtendedSupport(endOfStandard);
  if (day > endOfExtended) {
    throw new PropError(`Invalid engineVersion ${version.postgresFullVersion}: RDS Extended Support of PostgreSQL ${major} ended on `
      + `${endOfExtended}; RDS upgrades such instances on its own. Use a current major version such as rds.PostgresEngineVersion.VER_17.`);
  }
  if (scope) {
    warn(scope, WARNINGS.databaseEngineExtendedSupport, `engineVersion ${version.postgresFullVersion}: RDS standard support of PostgreSQL ${major} `
      + `ended on ${endOfStandard}. The instance runs in RDS Extended Support until ${endOfExtended}, billed on top of the instance: `
      + 'USD 0.10 per vCPU-hour in years 1 and 2, 0.20 in year 3 (us-east-1), for the standby of a Multi-AZ instance too. '
      + 'Use a major version in standard support such as rds.PostgresEngineVersion.VER_17.');
  }
}
