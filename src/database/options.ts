/**
 * The public options of UsersDatabase: what a user sets, with the default of each. The defaults
 * themselves are applied in one place, `defaults.ts`.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';

/**
 * Settings RDS fixes when an instance is created: changing any of them later makes CloudFormation
 * replace the instance (a new, empty database). Existing databases must keep what they were created with.
 */
export enum DatabaseCreateOnlySettings {
  /**
   * What the old runbook created: master user `postgres`, port 5432, storage encrypted with the AWS
   * managed key aws/rds, a generated master secret. Only for importing (restoring) that database.
   */
  ORIGINAL = 'original',
  /**
   * The default, for a new database: master user `scope_admin`, port 5433, storage encrypted with
   * `storageEncryptionKey` (in ScopeEnvironment: the environment key, if there is one), and the
   * master password managed and rotated by RDS in a secret under `encryptionKey`
   * (ManageMasterUserPassword). Meets the AWS Control Tower controls CT.RDS.PR.20, .22 and .30
   * (no default port or admin name, customer managed key).
   */
  HARDENED = 'hardened',
}

/** Options of the users database (the old `rds up` and `database bootstrap`). */
export interface UsersDatabaseOptions {
  /**
   * PostgreSQL engine version. Give a major version (`VER_17`): RDS applies minor upgrades
   * automatically in the maintenance window and the template never disagrees with them. A full
   * version (`VER_17_9`) pins the minor version until you change it. Moving to another major
   * version needs `allowMajorVersionUpgrade` (README "Upgrading PostgreSQL").
   * @default rds.PostgresEngineVersion.VER_17
   */
  readonly engineVersion?: rds.PostgresEngineVersion;

  /**
   * Allow a change of `engineVersion` to another major version (e.g. 17 to 18) to upgrade the
   * instance in place. RDS refuses a major upgrade without it.
   * @default false
   */
  readonly allowMajorVersionUpgrade?: boolean;

  /**
   * Delete the automated backups (daily snapshots and transaction logs) together with the
   * instance. Kept, they stay restorable to any point of their retention window
   * (`backupRetention`) after the instance is gone and are billed as backup storage until they expire.
   * @default - true with removalPolicy DESTROY, false otherwise
   */
  readonly deleteAutomatedBackups?: boolean;

  /**
   * Instance class and size.
   * @default db.t4g.micro (burstable Graviton, 2 vCPU, 1 GiB; the PRODUCTION profile uses m7g.large)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Storage size in GiB (gp3), 20 to 65536.
   * @default 20
   */
  readonly allocatedStorage?: number;

  /**
   * Run a standby in a second availability zone.
   * @default true (as the old setup; the DEVELOPMENT profile turns it off)
   */
  readonly multiAz?: boolean;

  /**
   * How long automated backups are kept: whole days, 1 to 35.
   * @default Duration.days(5) (as the old setup)
   */
  readonly backupRetention?: Duration;

  /**
   * Refuse to delete the instance (CloudFormation and console) until this is turned off. It is
   * turned on by a step at the end of the deploy that created the instance (see
   * `deletionProtectionStep`), so that a failed first deploy can still roll the instance back.
   * @default - true, unless `removalPolicy` is DESTROY
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the instance when it leaves the stack: SNAPSHOT takes a final snapshot,
   * RETAIN or RETAIN_ON_UPDATE_OR_DELETE keep the instance (with its security group, parameter
   * group, subnet group and secrets; the latter not when the deploy that created it rolls back),
   * DESTROY deletes it (see `deleteAutomatedBackups` for the automated backups).
   * @default RemovalPolicy.SNAPSHOT
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Create the instance from this DB snapshot (identifier or ARN) instead of an empty one.
   * Keep the value set after the restore: removing or changing it replaces the instance. The
   * snapshot's master user name must equal `masterUsername`; a new master password is generated
   * into the master secret. Storage encryption comes from the snapshot, so copy an unencrypted
   * snapshot with a KMS key first.
   * @default - a new, empty instance
   */
  readonly snapshotIdentifier?: string;

  /**
   * Name of the application database the bootstrap creates: [a-z_][a-z0-9_]{0,62}, not a
   * PostgreSQL/RDS system database. Changing it later creates the new database and leaves the old one.
   * @default 'users'
   */
  readonly databaseName?: string;

  /**
   * Bump to run the bootstrap again on the next deploy (a whole number, at least 0). The bootstrap
   * also runs when the instance endpoint, the secrets or the names change. It is idempotent: it
   * resets the application role's password to the one in `appSecret` and rewrites the URL, so a
   * bump after putting a new `password` into `appSecret` rotates the application password.
   * @default 0
   */
  readonly bootstrapSerial?: number;

  /**
   * Login role the bootstrap creates to own the application database; its password lives in
   * `appSecret`. Same rule as `databaseName`, must not start with `pg_` or `rds`. Changing it
   * later creates a new role (with a new password) that does not own the existing database.
   * @default 'scope_users'
   */
  readonly appUsername?: string;

  /**
   * The defaults of the settings RDS fixes at creation (master user name, port, storage key); see
   * README "Existing databases". Changing this on an existing database replaces it: ORIGINAL only
   * for the database imported from the old runbook.
   * @default DatabaseCreateOnlySettings.HARDENED
   */
  readonly createOnlySettings?: DatabaseCreateOnlySettings;

  /**
   * Master (admin) user name; for a snapshot restore, the snapshot's master user name.
   * Same rule as `appUsername`. Create-only: changing it replaces the instance.
   * @default - 'postgres' (ORIGINAL) or 'scope_admin' (HARDENED)
   */
  readonly masterUsername?: string;

  /**
   * PostgreSQL port, 1150 to 65535. Create-only: changing it replaces the instance.
   * @default - 5432 (ORIGINAL) or 5433 (HARDENED)
   */
  readonly port?: number;

  /**
   * Customer managed KMS key for storage encryption (not with `snapshotIdentifier`).
   * Storage is encrypted either way. Create-only: adding or changing it replaces the instance.
   * @default - the AWS managed key aws/rds
   */
  readonly storageEncryptionKey?: kms.IKey;

  /**
   * Customer managed KMS key for the master and application secrets and the log groups (bootstrap
   * logs, exported PostgreSQL logs). All of these change in place.
   * @default - aws/secretsmanager for the secrets, CloudWatch Logs' own encryption for the logs
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Export the PostgreSQL logs (`postgresql`, `upgrade`) to CloudWatch Logs, into the log group
   * `/aws/rds/instance/<instance id>/postgresql`, which the bootstrap creates (or adopts) with
   * `logRetention` and `encryptionKey`.
   * @default false
   */
  readonly logExports?: boolean;

  /**
   * How long the bootstrap's logs and the exported PostgreSQL logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Performance Insights (7 days of free retention, encrypted with `storageEncryptionKey` if given).
   * @default - the value of `databaseInsights`
   */
  readonly performanceInsights?: boolean;

  /**
   * CloudWatch Database Insights in Standard mode, with Performance Insights on (7 days of
   * retention, the free tier): DB load by wait, SQL statement, host and user, where the database
   * CPU alarm's runbook points. The Performance Insights console reaches its end of life on
   * 2026-07-31 and redirects to Database Insights. Turning it on or off changes the instance in
   * place (no replacement, no downtime). Performance Insights data is then encrypted with the AWS
   * managed `aws/rds` key, unless `performanceInsights` is also set to true (then with
   * `storageEncryptionKey`, which can only be set on an instance without Performance Insights).
   * @default false (ScopeEnvironment: on in PRODUCTION, off in DEVELOPMENT)
   */
  readonly databaseInsights?: boolean;

  /**
   * Enhanced monitoring interval: 1, 5, 10, 15, 30 or 60 seconds. Creates an IAM role for RDS.
   * @default - no enhanced monitoring
   */
  readonly monitoringInterval?: Duration;

  /**
   * Allow IAM database authentication (tokens instead of passwords) for roles granted `rds_iam`
   * by hand; see `grantIamConnect`. The application role keeps its password either way.
   * @default false
   */
  readonly iamAuthentication?: boolean;
}

/** Props of UsersDatabase. */
export interface UsersDatabaseProps extends UsersDatabaseOptions {
  /** The VPC to run in; it needs private subnets (with egress, or isolated). */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets for the instance and the bootstrap function.
   * @default - the VPC's PRIVATE_WITH_EGRESS subnets, or its PRIVATE_ISOLATED subnets if it has
   * none (then the VPC needs a Secrets Manager interface endpoint for the bootstrap)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Environment name, used in descriptions.
   * @default - derived from the stack name
   */
  readonly envName?: string;
}
