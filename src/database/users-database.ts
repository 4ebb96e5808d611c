import { ArnFormat, CfnResource, CustomResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { BootstrapFunction } from './bootstrap-function';
import { databaseNameProblem, roleNameProblem } from './names';
import { acknowledge, acknowledgeManagedPolicies, acknowledgeProviderFramework, acknowledgeRuntime, nagValue } from '../private/nag';
import { defaultEnvName, PropError, validateEnvName, validateInteger, validatePattern } from '../private/validate';

const POSTGRES_PORT = 5432;

/**
 * Settings RDS fixes when an instance is created: changing any of them later makes CloudFormation
 * replace the instance (a new, empty database). Existing databases must keep what they were created with.
 */
export enum DatabaseCreateOnlySettings {
  /**
   * What every release so far created: master user `postgres`, port 5432, storage encrypted with
   * the AWS managed key aws/rds. Keep this for a database that exists.
   */
  ORIGINAL = 'original',
  /**
   * For a new database: master user `scope_admin`, port 5433, storage encrypted with
   * `storageEncryptionKey` (in ScopeEnvironment: the environment key, if there is one). Meets the
   * AWS Control Tower controls CT.RDS.PR.20, .22 and .30 (no default port or admin name, customer managed key).
   */
  HARDENED = 'hardened',
}

const CREATE_ONLY = {
  [DatabaseCreateOnlySettings.ORIGINAL]: { masterUsername: 'postgres', port: POSTGRES_PORT },
  [DatabaseCreateOnlySettings.HARDENED]: { masterUsername: 'scope_admin', port: 5433 },
};

/** PostgreSQL log types RDS can export to CloudWatch Logs (all of them, as CT.RDS.PR.14 asks). */
const POSTGRES_LOG_EXPORTS = ['postgresql', 'upgrade'];

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
   * README "Existing databases". Changing this on an existing database replaces it: keep ORIGINAL there.
   * @default DatabaseCreateOnlySettings.ORIGINAL
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
   * @default false
   */
  readonly performanceInsights?: boolean;

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

/**
 * The users service's PostgreSQL: an RDS instance in private subnets behind a security group
 * that admits only the peers passed to `allowFrom`, encrypted at rest, TLS enforced, automated
 * backups; master password generated into Secrets Manager. A bootstrap custom resource creates
 * the application database and role and puts a ready `postgres://` URL into `appSecret`.
 */
export class UsersDatabase extends Construct {
  /**
   * Where `urlVerifyFull` expects the RDS CA bundle in the client's file system (mount
   * https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem there, e.g. from a ConfigMap).
   */
  public static readonly CLIENT_CA_BUNDLE_PATH = '/etc/ssl/rds/global-bundle.pem';

  /** The RDS instance. */
  public readonly instance: rds.IDatabaseInstance;
  /** Master credentials (JSON: username, password, host, port, engine, ...). */
  public readonly secret: secretsmanager.ISecret;
  /**
   * Application credentials (JSON: username, password, host, port, dbname, `url`, a
   * `postgres://user:password@host:port/<db>?sslmode=require` URL with the parts URL-encoded, and
   * `urlVerifyFull`, the same with `sslmode=verify-full&sslrootcert=<UsersDatabase.CLIENT_CA_BUNDLE_PATH>`; see README
   * "Database URLs and TLS"). Filled by the bootstrap during deployment.
   */
  public readonly appSecret: secretsmanager.ISecret;
  /** The instance's security group (ingress only from `allowFrom` peers and the bootstrap). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Network access to the instance; same as `instance.connections`. */
  public readonly connections: ec2.Connections;
  /** Address and port of the instance. */
  public readonly endpoint: rds.Endpoint;
  /** Name of the application database. */
  public readonly databaseName: string;
  /** Name of the application role. */
  public readonly appUsername: string;
  /** Environment name. */
  public readonly envName: string;
  /** The bootstrap custom resource; depend on it to use the database only once it exists. */
  public readonly bootstrap: CustomResource;
  /** The function behind the bootstrap custom resource (runs only during deployments). */
  public readonly bootstrapFunction!: lambda.IFunction;
  /** The instance class and size the database runs on. */
  public readonly instanceType: ec2.InstanceType;
  /** Allocated storage in GiB. */
  public readonly allocatedStorage: number;
  /**
   * The step that turns deletion protection on (only when `deletionProtection` is on). It runs
   * after the bootstrap; make it depend on the rest of the stack too (ScopeEnvironment does), so
   * that it runs last and a failed first deploy can still delete the unprotected instance.
   */
  public readonly deletionProtectionStep?: CustomResource;

  private readonly iamAuthentication: boolean;
  private bootstrapProvider?: cr.Provider;

  constructor(scope: Construct, id: string, props: UsersDatabaseProps) {
    super(scope, id);
    validateEnvName(props.envName);
    validateProps(props);
    this.envName = props.envName ?? defaultEnvName(Stack.of(this).stackName);
    this.databaseName = props.databaseName ?? 'users';
    this.appUsername = props.appUsername ?? 'scope_users';
    this.iamAuthentication = props.iamAuthentication ?? false;
    const createOnly = CREATE_ONLY[props.createOnlySettings ?? DatabaseCreateOnlySettings.ORIGINAL];
    const masterUsername = props.masterUsername ?? createOnly.masterUsername;
    const port = props.port ?? createOnly.port;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    const vpcSubnets = props.vpcSubnets ?? defaultSubnets(props.vpc);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.SNAPSHOT;
    const retained = removalPolicy === RemovalPolicy.RETAIN || removalPolicy === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
    const deletionProtection = props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY;
    // Major version only: with autoMinorVersionUpgrade, RDS moves the instance to newer minor
    // versions in the maintenance window, and a full version in the template would then name an
    // older version than the instance runs. Instances created with the former default '17.9' get
    // EngineVersion '17' on upgrade: an in-place update (no replacement in the CloudFormation
    // resource spec), and RDS "updates the DB instance to the default minor version if the current
    // minor version is lower", otherwise changes nothing
    // (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ModifyDBInstance.html, EngineVersion).
    this.instanceType = props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO);
    this.allocatedStorage = props.allocatedStorage ?? 20;
    const engine = rds.DatabaseInstanceEngine.postgres({ version: props.engineVersion ?? rds.PostgresEngineVersion.VER_17 });

    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Users database (${this.envName}): PostgreSQL ${port} from allowed peers only`,
      allowAllOutbound: false,
    });
    this.securityGroup = securityGroup;

    const parameterGroup = new rds.ParameterGroup(this, 'Parameters', {
      engine,
      description: `Users database (${this.envName}): TLS required`,
      parameters: { 'rds.force_ssl': '1' },
      removalPolicy: retained ? removalPolicy : undefined,
    });

    // Settings shared by a new instance and a restored one, so a restore keeps network, parameters and backups.
    const common: rds.DatabaseInstanceSourceProps = {
      engine,
      instanceType: this.instanceType,
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [securityGroup],
      publiclyAccessible: false,
      port,
      parameterGroup,
      storageType: rds.StorageType.GP3,
      allocatedStorage: this.allocatedStorage,
      multiAz: props.multiAz ?? true,
      backupRetention: props.backupRetention ?? Duration.days(5),
      copyTagsToSnapshot: true,
      deletionProtection,
      removalPolicy,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: props.allowMajorVersionUpgrade ?? false,
      // RDS deletes automated backups with the instance unless told otherwise
      // (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithAutomatedBackups.Retaining.html):
      // only an instance that is meant to disappear (DESTROY) takes them along.
      deleteAutomatedBackups: props.deleteAutomatedBackups ?? removalPolicy === RemovalPolicy.DESTROY,
      iamAuthentication: this.iamAuthentication,
      enablePerformanceInsights: props.performanceInsights ?? false,
      performanceInsightEncryptionKey: props.performanceInsights ? props.storageEncryptionKey : undefined,
      monitoringInterval: props.monitoringInterval,
      cloudwatchLogsExports: props.logExports ? POSTGRES_LOG_EXPORTS : undefined,
    };

    // One construct id for both kinds, so the instance keeps its logical ID: setting or changing
    // snapshotIdentifier later replaces the instance (a new one from the snapshot; the old one
    // goes by its removal policy).
    const instance = props.snapshotIdentifier
      ? new rds.DatabaseInstanceFromSnapshot(this, 'Instance', {
        ...common,
        snapshotIdentifier: props.snapshotIdentifier,
        credentials: rds.SnapshotCredentials.fromGeneratedSecret(masterUsername, { encryptionKey: props.encryptionKey }),
      })
      : new rds.DatabaseInstance(this, 'Instance', {
        ...common,
        credentials: rds.Credentials.fromGeneratedSecret(masterUsername, { encryptionKey: props.encryptionKey }),
        storageEncrypted: true,
        storageEncryptionKey: props.storageEncryptionKey,
      });
    this.instance = instance;
    this.secret = instance.secret!;
    this.connections = instance.connections;
    this.endpoint = instance.instanceEndpoint;

    this.appSecret = new secretsmanager.Secret(this, 'AppSecret', {
      encryptionKey: props.encryptionKey,
      description: `Users database (${this.envName}): credentials and postgres:// URL of the application role`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ username: this.appUsername }),
        generateStringKey: 'password',
        excludePunctuation: true,
        passwordLength: 32,
      },
    });

    if (retained) {
      // A retained instance still uses these; deleting them would fail (or lock the owner out).
      // aws-cdk-lib retains the subnet group for RETAIN only, so it is set here for both policies.
      for (const resource of [securityGroup, instance.node.findChild('Secret'), this.appSecret, instance.node.findChild('SubnetGroup')]) {
        (resource as secretsmanager.Secret | ec2.SecurityGroup | rds.SubnetGroup).applyRemovalPolicy(removalPolicy);
      }
    }

    this.bootstrap = this.createBootstrap(props.vpc, vpcSubnets, logRetention, props.encryptionKey, props.logExports ?? false, props.bootstrapSerial);

    // Deletion protection would make a failed first deploy end in ROLLBACK_FAILED: CloudFormation
    // cannot delete a protected instance (its delete handler passes no override). So the template
    // leaves DeletionProtection out (an update then never sends it: ModifyDBInstance only gets the
    // properties the template sets) and a last step turns it on once everything else was created.
    const cfnInstance = instance.node.defaultChild as rds.CfnDBInstance;
    cfnInstance.deletionProtection = deletionProtection ? undefined : false;
    if (deletionProtection) {
      this.deletionProtectionStep = this.createDeletionProtectionStep(this.bootstrapProvider!);
    }
    this.acknowledgeNagFindings(common);
  }

  /**
   * Admit `peer` (e.g. the cluster, a security group) to PostgreSQL (TCP 5432) on the instance.
   * @param description description of the security group rule
   */
  public allowFrom(peer: ec2.IConnectable, description: string = 'PostgreSQL from an allowed peer'): void {
    this.connections.allowDefaultPortFrom(peer, description);
  }

  /**
   * Let `grantee` read the application secret (the `postgres://` URL and its parts): what a
   * service needs to connect with the application role's password. Network access is separate
   * (`allowFrom`).
   */
  public grantConnect(grantee: iam.IGrantable): iam.Grant {
    return this.appSecret.grantRead(grantee);
  }

  /**
   * Allow `grantee` rds-db:connect as `dbUser` with IAM authentication tokens. Only with
   * `iamAuthentication: true`; the PostgreSQL role must be granted `rds_iam` by hand, which
   * turns off password login for it (so not the application role).
   */
  public grantIamConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    if (!this.iamAuthentication) {
      throw new Error('grantIamConnect needs iamAuthentication: true on the UsersDatabase.');
    }
    return this.instance.grantConnect(grantee, dbUser);
  }

  /** cdk-nag (AwsSolutions) findings that are by design or by profile choice, each with its reason. */
  private acknowledgeNagFindings(settings: rds.DatabaseInstanceSourceProps): void {
    const cfnInstance = this.instance.node.defaultChild as CfnResource;
    if (settings.port === POSTGRES_PORT) {
      acknowledge(cfnInstance, {
        id: 'AwsSolutions-RDS11',
        reason: `PostgreSQL on its default port ${POSTGRES_PORT} (createOnlySettings ORIGINAL): the port is fixed at creation and changing it `
          + 'replaces the instance, so databases created by earlier releases keep it; new ones take HARDENED (5433). A different port '
          + 'hides little from a scan inside the VPC: the instance is not publicly accessible, sits in private subnets behind a security '
          + 'group that admits only the peers given to allowFrom() (the EKS cluster and the bootstrap function), and forces TLS.',
      });
    }
    if (!settings.multiAz) {
      acknowledge(cfnInstance, {
        id: 'AwsSolutions-RDS3',
        reason: 'multiAz is off (the DEVELOPMENT profile, or multiAz: false): a cheap single-AZ instance for an environment that can be '
          + 'rebuilt; daily automated backups still run. The PRODUCTION profile and the construct default are multi-AZ.',
      });
    }
    acknowledge(cfnInstance, {
      id: 'AwsSolutions-RDS10',
      reason: settings.deletionProtection
        ? 'Deletion protection is on, set by the DeletionProtection custom resource at the end of the deploy that creates the instance '
          + 'instead of in the template: a protected instance cannot be deleted when a failed first deploy rolls back (ROLLBACK_FAILED).'
        : 'deletionProtection is off (the DEVELOPMENT profile, or removalPolicy DESTROY / deletionProtection: false) so that '
          + '`cdk destroy` removes the whole environment. The PRODUCTION profile and the construct default turn it on.',
    });
    if (this.instance instanceof rds.DatabaseInstanceFromSnapshot) {
      acknowledge(cfnInstance, {
        id: 'AwsSolutions-RDS2',
        reason: 'Restored from snapshotIdentifier: RDS takes storage encryption from the snapshot and CloudFormation cannot set it. '
          + 'The snapshotIdentifier documentation requires an encrypted snapshot (copy an unencrypted one with a KMS key first).',
      });
    }
    acknowledgeManagedPolicies(this.instance.node.tryFindChild('MonitoringRole') as iam.IRole | undefined);
    // `secret` is the target attachment; the secret itself is the instance's child `Secret`.
    acknowledge(this.instance.node.findChild('Secret').node.defaultChild as CfnResource, {
      id: 'AwsSolutions-SMG4',
      reason: 'Master password of the users database, generated by Secrets Manager into this secret (KMS-encrypted). Only the bootstrap '
        + 'custom resource reads it, during deployments; services use the application role. Automatic rotation would add a rotation '
        + 'Lambda in the VPC; add it when needed with instance.addRotationSingleUser().',
    });
    acknowledge(this.appSecret.node.defaultChild as CfnResource, {
      id: 'AwsSolutions-SMG4',
      reason: 'Password and postgres:// URL of the least-privilege application role, written by the bootstrap custom resource. The users '
        + 'service reads the URL at start; a rotation Lambda would change the password under running pods and need its own VPC access. '
        + 'Rotation is a planned step: a new password in the secret, then a bootstrap update (it resets the role\'s password from the secret) and a service restart.',
    });
  }

  private createBootstrap(vpc: ec2.IVpc, vpcSubnets: ec2.SubnetSelection, logRetention: logs.RetentionDays,
    encryptionKey: kms.IKey | undefined, logExports: boolean, serial: number | undefined): CustomResource {
    const securityGroup = new ec2.SecurityGroup(this, 'BootstrapSecurityGroup', {
      vpc,
      description: `Users database (${this.envName}) bootstrap: PostgreSQL and HTTPS (Secrets Manager) out`,
      allowAllOutbound: false,
    });
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Secrets Manager API');

    const logGroup = new logs.LogGroup(this, 'BootstrapLogs', {
      retention: logRetention,
      encryptionKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fn = new BootstrapFunction(this, 'BootstrapFunction', {
      description: `Users database (${this.envName}): creates the application database and role`,
      vpc,
      vpcSubnets,
      securityGroups: [securityGroup],
      timeout: Duration.minutes(2),
      memorySize: 256,
      logGroup,
    });
    (this as { bootstrapFunction: lambda.IFunction }).bootstrapFunction = fn;
    const rulesBefore = new Set(this.securityGroup.node.children);
    this.allowFrom(fn, 'PostgreSQL from the bootstrap function');
    // Only the rule just added: the group's other rules (e.g. from the EKS cluster) must not make the bootstrap wait.
    const bootstrapIngress = this.securityGroup.node.children.filter(child => !rulesBefore.has(child));
    // Read both secrets. Two things keep the function off the database's creation path (only the
    // custom resource below needs the database):
    // - the grant names the master secret itself, not its target attachment (`secret`, same ARN),
    //   which exists only once the instance does;
    // - kms:Decrypt goes into the role's own policy, not the key policy: `Secret.grantRead` puts a
    //   kms:ViaService statement naming the role into the key policy, so the key, the database's
    //   secret and the database waited for the role, which waits for the NAT routes (VPC function).
    //   The key policy trusts the account, so the identity policy suffices.
    const masterSecret = this.instance.node.findChild('Secret') as secretsmanager.ISecret;
    for (const secret of [masterSecret, this.appSecret]) {
      iam.Grant.addToPrincipal({ grantee: fn, actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resourceArns: [secret.secretArn] });
    }
    const secretKeys = [...new Set([masterSecret.encryptionKey, this.appSecret.encryptionKey].filter((k): k is kms.IKey => k !== undefined))];
    if (secretKeys.length > 0) {
      iam.Grant.addToPrincipal({
        grantee: fn,
        actions: ['kms:Decrypt'],
        resourceArns: secretKeys.map(k => k.keyArn),
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(this).region}.amazonaws.com` } },
      });
    }
    iam.Grant.addToPrincipal({ grantee: fn, actions: ['secretsmanager:PutSecretValue'], resourceArns: [this.appSecret.secretArn] });
    // PutSecretValue on a secret with a customer managed key needs a data key from it (reading is in grantRead).
    encryptionKey?.grant(fn, 'kms:GenerateDataKey');

    // RDS creates the export log group without retention; the bootstrap creates or adopts it with retention and key.
    const stack = Stack.of(this);
    const exportLogGroup = logExports ? `/aws/rds/instance/${this.instance.instanceIdentifier}/postgresql` : undefined;
    // In a policy of its own that only the custom resource waits for: the log group's name contains
    // the instance identifier, and in the function's default policy it made the function (and its
    // VPC network interface) wait for the database's creation.
    let logGroupPolicy: iam.Policy | undefined;
    if (exportLogGroup) {
      const arn = stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: exportLogGroup, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
      logGroupPolicy = new iam.Policy(this, 'BootstrapLogGroupPolicy', {
        roles: [fn.role!],
        statements: [new iam.PolicyStatement({
          actions: ['logs:CreateLogGroup', 'logs:PutRetentionPolicy', 'logs:AssociateKmsKey'],
          resources: [arn, `${arn}:*`],
        })],
      });
      acknowledge(logGroupPolicy, {
        id: `AwsSolutions-IAM5[Resource::${nagValue(fn, arn)}:*]`,
        reason: 'The bootstrap sets retention and the KMS key on exactly one log group, the one RDS exports this instance\'s PostgreSQL '
          + 'logs to; CloudWatch Logs authorizes some actions on the log group ARN with the `:*` suffix. No other log group.',
      });
    }

    // Provider framework, onEvent only: 2 Lambda functions (the handler and the framework).
    // The framework function runs in the VPC too (AWS Control Tower CT.LAMBDA.PR.3); it calls the
    // Lambda API and CloudFormation's response URL over HTTPS, which the security group allows.
    const provider = new cr.Provider(this, 'BootstrapProvider', { onEventHandler: fn, logGroup, vpc, vpcSubnets, securityGroups: [securityGroup] });
    acknowledgeManagedPolicies(fn.role);
    acknowledgeRuntime(fn, 'Bootstrap handler: Node.js 22 is the runtime the package bundles and tests the handler for (an LTS runtime '
      + 'supported by Lambda); it runs only during deployments, inside the VPC, with access to two secrets and the database port only.');
    acknowledgeProviderFramework(provider, fn, 'the users database bootstrap');
    this.bootstrapProvider = provider;
    const bootstrap = new CustomResource(this, 'Bootstrap', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::UsersDatabaseBootstrap',
      properties: {
        Host: this.instance.dbInstanceEndpointAddress,
        Port: this.instance.dbInstanceEndpointPort,
        MasterSecretArn: this.secret.secretArn,
        AppSecretArn: this.appSecret.secretArn,
        DatabaseName: this.databaseName,
        AppUsername: this.appUsername,
        // Only when set, so that a library upgrade does not re-run every existing bootstrap.
        ...(serial ? { BootstrapSerial: serial } : {}),
        // New in this release: also makes existing environments re-run the bootstrap once, which adds urlVerifyFull to the secret.
        ClientCaBundle: UsersDatabase.CLIENT_CA_BUNDLE_PATH,
        ...(exportLogGroup ? { LogGroupName: exportLogGroup, LogRetentionDays: logRetention, LogKmsKeyArn: encryptionKey?.keyArn } : {}),
      },
    });
    // The security group rules between function and instance are separate resources: create them first.
    bootstrap.node.addDependency(this.securityGroup.node.defaultChild!, ...bootstrapIngress, securityGroup);
    if (logGroupPolicy) bootstrap.node.addDependency(logGroupPolicy);
    return bootstrap;
  }

  /** A custom resource on the bootstrap's provider (no extra Lambda) that turns deletion protection on. */
  private createDeletionProtectionStep(provider: cr.Provider): CustomResource {
    // A policy of its own that only this step waits for: in the function's default policy, the
    // instance ARN would make the bootstrap function (and so the deploy) wait for the database.
    const policy = new iam.Policy(this, 'DeletionProtectionPolicy', {
      roles: [this.bootstrapFunction!.role!],
      statements: [new iam.PolicyStatement({ actions: ['rds:ModifyDBInstance'], resources: [this.instance.instanceArn] })],
    });
    const step = new CustomResource(this, 'DeletionProtection', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::UsersDatabaseDeletionProtection',
      properties: {
        DBInstanceIdentifier: this.instance.instanceIdentifier,
        DeletionProtection: true,
      },
    });
    step.node.addDependency(this.bootstrap, policy);
    return step;
  }
}

function defaultSubnets(vpc: ec2.IVpc): ec2.SubnetSelection {
  if (vpc.privateSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
  if (vpc.isolatedSubnets.length > 0) return { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  throw new PropError('Invalid vpc: UsersDatabase needs private subnets (PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED); the database is never placed in public subnets.');
}

const MONITORING_INTERVALS = [1, 5, 10, 15, 30, 60];

function validateProps(props: UsersDatabaseProps): void {
  validateInteger('allocatedStorage', props.allocatedStorage, 20, 65536);
  validateInteger('bootstrapSerial', props.bootstrapSerial, 0);
  validateInteger('port', props.port, 1150, 65535);
  if (props.instanceType) {
    validatePattern('instanceType', props.instanceType.toString(), /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
      'must be an instance class and size such as t4g.micro or m7g.large (without the db. prefix, which RDS adds)');
  }
  // An empty string would silently create an empty instance instead of restoring.
  validatePattern('snapshotIdentifier', props.snapshotIdentifier, /^(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:snapshot:)?(rds:)?[A-Za-z][A-Za-z0-9-]{0,254}$/,
    'must be a DB snapshot identifier (a letter, then letters, digits and -) or a DB snapshot ARN');
  if (props.vpcSubnets?.subnetType === ec2.SubnetType.PUBLIC) {
    throw new PropError('Invalid vpcSubnets: the database is never placed in public subnets; select private subnets (PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED).');
  }
  if (props.backupRetention !== undefined && !Token.isUnresolved(props.backupRetention.toSeconds())) {
    const seconds = props.backupRetention.toSeconds();
    if (seconds % 86400 !== 0 || seconds / 86400 < 1 || seconds / 86400 > 35) {
      throw new PropError(`Invalid backupRetention ${props.backupRetention.toHumanString()}: must be whole days from 1 to 35.`);
    }
  }
  if (props.monitoringInterval !== undefined && !MONITORING_INTERVALS.includes(props.monitoringInterval.toSeconds())) {
    throw new PropError(`Invalid monitoringInterval ${props.monitoringInterval.toHumanString()}: must be one of ${MONITORING_INTERVALS.join(', ')} seconds.`);
  }
  for (const [prop, value, problem] of [
    ['databaseName', props.databaseName, databaseNameProblem],
    ['appUsername', props.appUsername, roleNameProblem],
    ['masterUsername', props.masterUsername, roleNameProblem],
  ] as const) {
    const p = value === undefined || Token.isUnresolved(value) ? undefined : problem(value);
    if (p) throw new PropError(`Invalid ${prop} '${value}': ${p}.`);
  }
  const createOnly = CREATE_ONLY[props.createOnlySettings ?? DatabaseCreateOnlySettings.ORIGINAL];
  if (!createOnly) {
    throw new PropError(`Invalid createOnlySettings '${props.createOnlySettings}': must be one of ${Object.values(DatabaseCreateOnlySettings).map(v => `'${v}'`).join(', ')} (DatabaseCreateOnlySettings).`);
  }
  if ((props.appUsername ?? 'scope_users') === (props.masterUsername ?? createOnly.masterUsername)) {
    throw new PropError(`Invalid appUsername '${props.appUsername ?? 'scope_users'}': must differ from masterUsername.`);
  }
  if (props.snapshotIdentifier !== undefined && props.storageEncryptionKey !== undefined) {
    throw new PropError('Invalid storageEncryptionKey: it cannot be combined with snapshotIdentifier; a restored instance keeps the snapshot\'s encryption (copy the snapshot with the key first).');
  }
}
