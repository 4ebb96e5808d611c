/**
 * Every default of UsersDatabase in one place: `resolveDatabaseSettings` turns the props into the
 * settings the parts build from, so no other file of the part falls back to a default itself.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import { DatabaseCreateOnlySettings, UsersDatabaseProps } from './options';
import { defaultEnvName, PropError } from '../private/validate';

/** The PostgreSQL default port (createOnlySettings ORIGINAL). */
export const POSTGRES_PORT = 5432;

/**
 * The default for new databases. ORIGINAL is only for importing the database the old runbook made
 * (README "Existing databases"); there is no earlier release of this package whose stacks relied
 * on ORIGINAL as the default.
 */
export const DEFAULT_CREATE_ONLY_SETTINGS = DatabaseCreateOnlySettings.HARDENED;

/** The create-only defaults of each DatabaseCreateOnlySettings value. */
export const CREATE_ONLY = {
  [DatabaseCreateOnlySettings.ORIGINAL]: { masterUsername: 'postgres', port: POSTGRES_PORT },
  [DatabaseCreateOnlySettings.HARDENED]: { masterUsername: 'scope_admin', port: 5433 },
};

/**
 * Where `urlVerifyFull` expects the RDS CA bundle in the client's file system (mount
 * https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem there, e.g. from a ConfigMap).
 */
export const CLIENT_CA_BUNDLE_PATH = '/etc/ssl/rds/global-bundle.pem';

/** Default name of the application database. */
export const DEFAULT_DATABASE_NAME = 'users';
/** Default name of the application role. */
export const DEFAULT_APP_USERNAME = 'scope_users';

/** The props of UsersDatabase with every default applied (internal). */
export interface DatabaseSettings {
  readonly envName: string;
  readonly databaseName: string;
  readonly appUsername: string;
  readonly masterUsername: string;
  readonly port: number;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly engine: rds.IInstanceEngine;
  readonly instanceType: ec2.InstanceType;
  readonly allocatedStorage: number;
  readonly multiAz: boolean;
  readonly backupRetention: Duration;
  readonly removalPolicy: RemovalPolicy;
  /** removalPolicy keeps the instance (RETAIN or RETAIN_ON_UPDATE_OR_DELETE). */
  readonly retained: boolean;
  readonly deletionProtection: boolean;
  readonly deleteAutomatedBackups: boolean;
  readonly allowMajorVersionUpgrade: boolean;
  readonly iamAuthentication: boolean;
  readonly performanceInsights: boolean;
  readonly databaseInsights: boolean;
  /** Encrypts the Performance Insights data; undefined: the AWS managed aws/rds key. */
  readonly performanceInsightsKey?: kms.IKey;
  readonly monitoringInterval?: Duration;
  readonly logExports: boolean;
  readonly logRetention: logs.RetentionDays;
  readonly snapshotIdentifier?: string;
  readonly storageEncryptionKey?: kms.IKey;
  readonly encryptionKey?: kms.IKey;
  /**
   * RDS manages the master password in Secrets Manager (ManageMasterUserPassword, the secret under
   * `encryptionKey`): a new HARDENED instance. ORIGINAL and restores keep the generated secret.
   */
  readonly rdsManagedMasterPassword: boolean;
  readonly bootstrapSerial?: number;
}

/** Applies the defaults to validated props; `scope` gives the stack name for the default envName. */
export function resolveDatabaseSettings(scope: Construct, props: UsersDatabaseProps): DatabaseSettings {
  const createOnly = CREATE_ONLY[props.createOnlySettings ?? DEFAULT_CREATE_ONLY_SETTINGS];
  const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
  return {
    envName: props.envName ?? defaultEnvName(Stack.of(scope).stackName),
    databaseName: props.databaseName ?? DEFAULT_DATABASE_NAME,
    appUsername: props.appUsername ?? DEFAULT_APP_USERNAME,
    masterUsername: props.masterUsername ?? createOnly.masterUsername,
    port: props.port ?? createOnly.port,
    vpc: props.vpc,
    vpcSubnets: props.vpcSubnets ?? defaultSubnets(props.vpc),
    // Major version only: with autoMinorVersionUpgrade, RDS moves the instance to newer minor
    // versions in the maintenance window, and a full version in the template would then name an
    // older version than the instance runs. Instances created with the former default '17.9' get
    // EngineVersion '17' on upgrade: an in-place update (no replacement in the CloudFormation
    // resource spec), and RDS "updates the DB instance to the default minor version if the current
    // minor version is lower", otherwise changes nothing
    // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html, EngineVersion).
    engine: rds.DatabaseInstanceEngine.postgres({ version: props.engineVersion ?? rds.PostgresEngineVersion.VER_17 }),
    instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    allocatedStorage: props.allocatedStorage ?? 20,
    multiAz: props.multiAz ?? true,
    backupRetention: props.backupRetention ?? Duration.days(5),
    removalPolicy,
    retained: removalPolicy === RemovalPolicy.RETAIN || removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    deletionProtection: props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
    // RDS deletes automated backups with the instance unless told otherwise
    // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html):
    // only an instance that is meant to disappear (DESTROY) takes them along.
    deleteAutomatedBackups: props.deleteAutomatedBackups ?? removalPolicy === RemovalPolicy.DESTROY,
    allowMajorVersionUpgrade: props.allowMajorVersionUpgrade ?? false,
    iamAuthentication: props.iamAuthentication ?? false,
    // Database Insights' DB load and top SQL come from Performance Insights.
    performanceInsights: props.performanceInsights ?? props.databaseInsights ?? false,
    databaseInsights: props.databaseInsights ?? false,
    // The storage key only where performanceInsights is asked for explicitly (as before Database
    // Insights existed). Database Insights alone leaves aws/rds: adding PerformanceInsightsKMSKeyId
    // to an existing instance is a conditional replacement in the CloudFormation resource
    // specification (test/lifecycle/matrix.ts measures it), and PRODUCTION turns Database
    // Insights on for instances that exist.
    performanceInsightsKey: props.performanceInsights ? props.storageEncryptionKey : undefined,
    monitoringInterval: props.monitoringInterval,
    logExports: props.logExports ?? false,
    logRetention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
    snapshotIdentifier: props.snapshotIdentifier,
    storageEncryptionKey: props.storageEncryptionKey,
    encryptionKey: props.encryptionKey,
    rdsManagedMasterPassword: (props.createOnlySettings ?? DEFAULT_CREATE_ONLY_SETTINGS) === DatabaseCreateOnlySettings.HARDENED
      && props.snapshotIdentifier === undefined,
    bootstrapSerial: props.bootstrapSerial,
  };
}

/** PRIVATE_WITH_EGRESS subnets, else PRIVATE_ISOLATED ones; never public subnets. */
function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  if (vpc.privateSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  if (vpc.isolatedSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  throw new PropError('Invalid vpc: UsersDatabase needs private subnets (PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED); the database is never placed in public subnets.');
}
