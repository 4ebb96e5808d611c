/**
 * The RDS instance with its security group and parameter group. The instance props shared by a new
 * instance and a restored one are computed once (`instanceSourceProps`), as aws-cdk-lib's own
 * aws-rds/lib/instance.ts computes its shared L1 props once for every kind of instance.
 */
import { SecretValue } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseSettings } from './defaults';

/** PostgreSQL log types RDS can export to CloudWatch Logs (all of them, as CT.RDS.PR.14 asks). */
const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'];

/** A new instance or one restored from a snapshot (both made by `createInstance`). */
export type UsersDatabaseInstance = rds.DatabaseInstance | rds.DatabaseInstanceFromSnapshot;

/** What `createInstance` made. */
export interface CreatedInstance {
  readonly instance: UsersDatabaseInstance;
  /** The instance's security group (ingress only from allowed peers). */
  readonly securityGroup: ec2.SecurityGroup;
  /** The props the instance was created with (the nag acknowledgements read them). */
  readonly sourceProps: rds.DatabaseInstanceSourceProps;
}

/** Creates, in `scope`, the security group `SecurityGroup`, the parameter group `Parameters` and the instance `Instance`. */
export function createInstance(scope: Construct, settings: DatabaseSettings): CreatedInstance {
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: settings.vpc,
    description: `Users database (${settings.envName}): PostgreSQL ${settings.port} from allowed peers only`,
    allowAllOutbound: false,
  });
  const parameterGroup = new rds.ParameterGroup(scope, 'Parameters', {
    engine: settings.engine,
    description: `Users database (${settings.envName}): TLS required`,
    parameters: { 'rds.force_ssl': '1' },
    removalPolicy: settings.retained ? settings.removalPolicy : undefined,
  });
  const sourceProps = instanceSourceProps(settings, securityGroup, parameterGroup);
  const credentialOptions = { encryptionKey: settings.encryptionKey };
  // One construct id for both kinds, so the instance keeps its logical ID: setting or changing
  // snapshotIdentifier later replaces the instance (a new one from the snapshot; the old one
  // goes by its removal policy).
  const instance = settings.snapshotIdentifier
    ? new rds.DatabaseInstanceFromSnapshot(scope, 'Instance', {
      ...sourceProps,
      snapshotIdentifier: settings.snapshotIdentifier,
      credentials: rds.SnapshotCredentials.fromGeneratedSecret(settings.masterUsername, credentialOptions),
    })
    : new rds.DatabaseInstance(scope, 'Instance', {
      ...sourceProps,
      credentials: settings.rdsManagedMasterPassword
        // aws-cdk-lib 2.257's DatabaseInstance has no ManageMasterUserPassword (and generates a secret
        // unless given a password): a placeholder that `manageMasterPassword` removes from the template.
        ? rds.Credentials.fromPassword(settings.masterUsername, SecretValue.unsafePlainText('managed-by-rds'))
        : rds.Credentials.fromGeneratedSecret(settings.masterUsername, credentialOptions),
      storageEncrypted: true,
      storageEncryptionKey: settings.storageEncryptionKey,
    });
  if (settings.rdsManagedMasterPassword) manageMasterPassword(instance, settings.encryptionKey);
  return { instance, securityGroup, sourceProps };
}

/**
 * RDS generates the master password into a secret of its own, encrypted with `key` (else the AWS
 * managed key aws/secretsmanager), and rotates it: "RDS generates the password and stores it in
 * Secrets Manager"
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html). CloudFormation:
 * ManageMasterUserPassword ("Can't manage the master user password with AWS Secrets Manager if
 * `MasterUserPassword` is specified"), MasterUserSecret.KmsKeyId; the secret's ARN is `Fn::GetAtt MasterUserSecret.SecretArn`
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html).
 */
function manageMasterPassword(instance: UsersDatabaseInstance, key: kms.IKey | undefined): void {
  const cfn = instance.node.defaultChild as rds.CfnDBInstance;
  cfn.masterUserPassword = undefined;
  cfn.manageMasterUserPassword = true;
  if (key) cfn.masterUserSecret = { kmsKeyId: key.keyArn };
}

/** ARN of the master secret RDS manages for an instance made with `rdsManagedMasterPassword`. */
export function managedMasterSecretArn(instance: UsersDatabaseInstance): string {
  return (instance.node.defaultChild as rds.CfnDBInstance).attrMasterUserSecretSecretArn;
}

/** Settings shared by a new instance and a restored one, so a restore keeps network, parameters and backups. */
function instanceSourceProps(settings: DatabaseSettings, securityGroup: ec2.ISecurityGroup,
  parameterGroup: rds.IParameterGroup): rds.DatabaseInstanceSourceProps {
  return {
    engine: settings.engine,
    instanceType: settings.instanceType,
    vpc: settings.vpc,
    vpcSubnets: settings.vpcSubnets,
    securityGroups: [securityGroup],
    publiclyAccessible: false,
    port: settings.port,
    parameterGroup,
    storageType: rds.StorageType.GP3,
    allocatedStorage: settings.allocatedStorage,
    multiAz: settings.multiAz,
    backupRetention: settings.backupRetention,
    copyTagsToSnapshot: true,
    deletionProtection: settings.deletionProtection,
    removalPolicy: settings.removalPolicy,
    autoMinorVersionUpgrade: true,
    allowMajorVersionUpgrade: settings.allowMajorVersionUpgrade,
    deleteAutomatedBackups: settings.deleteAutomatedBackups,
    iamAuthentication: settings.iamAuthentication,
    enablePerformanceInsights: settings.performanceInsights,
    performanceInsightEncryptionKey: settings.performanceInsightsKey,
    // Standard mode (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_DatabaseInsights.TurningOnStandard.html)
    // with Performance Insights at the default 7-day retention, the free tier
    // (CloudFormation AWS::RDS::DBInstance PerformanceInsightsRetentionPeriod). AWS has announced
    // the end of the Performance Insights console for 2026-07-31: it redirects to Database Insights
    // (https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_PerfInsights.Enabling.html).
    databaseInsightsMode: settings.databaseInsights ? rds.DatabaseInsightsMode.STANDARD : undefined,
    monitoringInterval: settings.monitoringInterval,
    cloudwatchLogsExports: settings.logExports ? POSTGRES_LOG_EXPORTS : undefined,
  };
}

/**
 * The resources aws-cdk-lib creates inside the instance construct, found by type: the generated
 * master secret (`instance.secret` is its target attachment, same ARN), the subnet group and the
 * enhanced monitoring role (only with monitoringInterval; aws-cdk-lib keeps it in a local variable).
 */
export interface InstanceParts {
  /** Undefined when RDS manages the master password (its secret is not in the template). */
  readonly masterSecret?: secretsmanager.Secret;
  readonly subnetGroup: rds.SubnetGroup;
  readonly monitoringRoles: iam.Role[];
}

/** Finds the InstanceParts of an instance made by `createInstance`. */
export function instanceParts(instance: UsersDatabaseInstance): InstanceParts {
  const children = instance.node.children;
  const masterSecret = children.find((c): c is secretsmanager.Secret => c instanceof secretsmanager.Secret);
  const subnetGroup = children.find((c): c is rds.SubnetGroup => c instanceof rds.SubnetGroup);
  if (!subnetGroup || (!masterSecret && instance.secret)) {
    throw new Error(`${instance.node.path}: aws-cdk-lib no longer creates the master secret and subnet group inside the instance.`);
  }
  return { masterSecret, subnetGroup, monitoringRoles: children.filter((c): c is iam.Role => c instanceof iam.Role) };
}
