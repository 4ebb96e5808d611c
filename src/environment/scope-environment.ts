import { CfnOutput, Fn, Lazy, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, Dependable, IConstruct } from 'constructs';
import { ScopeCluster, ScopeClusterOptions } from '../cluster';
import { FrontendOptions } from '../frontend';
import { DatabaseCreateOnlySettings, UsersDatabase, UsersDatabaseOptions } from '../database';
import { EnvironmentDns, EnvironmentDnsOptions } from '../dns';
import { EnvironmentKey } from '../encryption';
import { EnvironmentConfig, GitOps, GitOpsOptions } from '../gitops';
import { ScopeServiceUsers, ScopeServiceUsersOptions } from '../iam';
import { EnvironmentMonitoring, EnvironmentMonitoringOptions } from '../monitoring';
import { validateAlarmEmails } from '../monitoring/options';
import { createAccessLogBucket } from '../private/access-logs';
import { chooseAvailabilityZones, newVpc } from '../network/availability-zones';
import { configureFlowLogs } from '../network/flow-logs';
import { allowCloudWatchLogs, createEnvironmentKey, denyGrantsExceptForAwsServices } from '../private/kms';
import { PropError, validateEnvName, validateTags, withPropPath } from '../private/validate';
import { EnvironmentProfile, profileDefaults } from '../profile';
import { ControlQueues, ControlQueuesOptions } from '../queue';
import { ReportStore, ReportStoreOptions } from '../storage';

/** The HTTPS port: the frontend's TLS listener. */
const TLS_PORT = 443;

/** Props of ScopeEnvironment. Every option not given comes from the profile (see README "Profiles"). */
export interface ScopeEnvironmentProps {
  /**
   * What the environment is for; picks every default.
   * @default EnvironmentProfile.DEVELOPMENT
   */
  readonly profile?: EnvironmentProfile;

  /**
   * Environment name, used in user names, the queue prefix, tags and descriptions.
   * Lower case, starts with a letter, `[a-z][a-z0-9-]{0,19}`.
   * @default - the construct id
   */
  readonly envName?: string;

  /**
   * VPC to run in (private subnets with egress and public subnets).
   * @default - a new VPC: 2 AZs and 1 NAT gateway (DEVELOPMENT), 3 AZs and a NAT gateway per AZ (PRODUCTION)
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Availability Zone names of the VPC this construct creates (one public and one private subnet
   * in each), e.g. `['eu-west-1a', 'eu-west-1b']`; not allowed together with `vpc`. Synthesis
   * never looks AZs up, so it needs no AWS credentials.
   * @default - the AZs in the app's context (cdk.context.json) from an earlier lookup if present,
   * otherwise the first 2 (DEVELOPMENT) or 3 (PRODUCTION) AZs CloudFormation lists for the account
   * at deploy time (`Fn::GetAZs`)
   */
  readonly availabilityZones?: string[];

  /**
   * VPC flow logs (all traffic, to a CloudWatch log group kept one year) on the VPC this construct
   * creates; not allowed together with `vpc`.
   * @default - on in PRODUCTION, off in DEVELOPMENT
   */
  readonly vpcFlowLogs?: boolean;

  /**
   * The key that encrypts the environment's data at rest: the reports table and bucket (with S3
   * Bucket Keys), pre-created queues, the log groups the library creates, the database's and the
   * service users' secrets and, for a new database (`database.createOnlySettings: HARDENED`), its
   * storage. Switching keys changes all of these in place; an existing database's storage key never changes.
   * @default - EnvironmentKey.create() in PRODUCTION, EnvironmentKey.awsManaged() in DEVELOPMENT
   */
  readonly encryptionKey?: EnvironmentKey;

  /**
   * S3 server access logs of the reports bucket, and access logs of the frontend load balancer
   * (prefix `<envName>-frontend`, TLS connections only), into an access-log bucket of the environment
   * (SSE-S3, logs kept one year). Ignored for the reports if `reports.serverAccessLogsBucket` is given,
   * for the load balancer if `cluster.frontend.accessLogsBucket` is.
   * @default - on in PRODUCTION, off in DEVELOPMENT
   */
  readonly accessLogs?: boolean;

  /**
   * The Kubernetes cluster.
   * @default - profile defaults (2 nodes in DEVELOPMENT, 3 in PRODUCTION)
   */
  readonly cluster?: ScopeClusterOptions;

  /**
   * The PostgreSQL users database.
   * @default - profile defaults
   */
  readonly database?: UsersDatabaseOptions;

  /**
   * The reports table and bucket.
   * @default - profile defaults
   */
  readonly reports?: ReportStoreOptions;

  /**
   * The control queue namespace.
   * @default - prefix `<envName>_control_`, no pre-created queues
   */
  readonly queues?: ControlQueuesOptions;

  /**
   * The role-scoped service users.
   * @default - three users with access keys in Secrets Manager, no Pod Identity roles
   */
  readonly users?: ScopeServiceUsersOptions;

  /**
   * DNS: a public zone for the environment with the `frontend` alias.
   * @default - no zone
   */
  readonly domain?: EnvironmentDnsOptions;

  /**
   * Monitoring: encrypted alarm topic, alarms on every part, dashboard `<envName>-scope`, and
   * Container Insights. Pass `{ enabled: false }` for none.
   * @default - on: alarms notify the topic (no subscription), Container Insights in PRODUCTION only
   */
  readonly monitoring?: EnvironmentMonitoringOptions;

  /**
   * GitOps: install Flux in the cluster and sync the application from one path of one branch of
   * its git repository (see README "Deploying the app"). Not allowed with `cluster.helloWorld`:
   * the application from git provides the `frontend` Service.
   * @default - off: nothing is deployed from git
   */
  readonly gitOps?: GitOpsOptions;

  /**
   * Create the ConfigMap `scope-environment` (table, bucket, queue prefix, region, database
   * endpoint, secret ARNs) in the application's namespace (`users.namespace`, default `scope`), and
   * with `users.podIdentity` the service accounts `collection`, `query` and `control`, so the
   * application's manifests reference them instead of copying values.
   * @default - on when `gitOps` is given, off otherwise
   */
  readonly environmentConfig?: boolean;

  /**
   * Extra tags on every resource (beside `scope:environment=<envName>`).
   * @default - none
   */
  readonly tags?: { [key: string]: string };

  /**
   * Export every output under the name `scope-<envName>-<Key>` (e.g. `scope-dev-FrontendUrl`) for
   * `Fn.importValue` in other stacks. An exported value cannot change while another stack imports it.
   * @default false
   */
  readonly exportOutputs?: boolean;
}

/**
 * A whole Scope environment: VPC, EKS cluster with a frontend load balancer, PostgreSQL users
 * database, report table and bucket, control queue namespace, service users and DNS.
 * Composition only: every resource belongs to one of the parts, every default to the profile.
 */
export class ScopeEnvironment extends Construct {
  /** Environment name. */
  public readonly envName: string;
  /** Profile the defaults came from. */
  public readonly profile: EnvironmentProfile;
  /** The VPC everything runs in. */
  public readonly vpc: ec2.IVpc;
  /** The Kubernetes cluster (`.cluster`, `.nodegroup`, `.frontend`). */
  public readonly cluster: ScopeCluster;
  /** The users database (`.instance`, `.secret`, `.appSecret`). */
  public readonly database: UsersDatabase;
  /** The reports table and bucket (`.table`, `.bucket`). */
  public readonly reports: ReportStore;
  /** The control queue namespace (`.queuePrefix`, `.queueArnPattern`). */
  public readonly queues: ControlQueues;
  /** The service users (`.reportWriter`, `.reportReader`, `.queueReadWriter`). */
  public readonly users: ScopeServiceUsers;
  /** DNS, only when `domain` is given (`.zone`, `.frontendRecord`). */
  public readonly dns?: EnvironmentDns;
  /** The environment's customer managed key; undefined with EnvironmentKey.awsManaged(). */
  public readonly encryptionKey?: kms.IKey;
  /** The access-log bucket, when `accessLogs` is on (other log deliveries may use it too). */
  public readonly accessLogsBucket?: s3.IBucket;
  /** Alarms, dashboard and Container Insights (`.alarmTopic`, `.alarms`, `.dashboard`); undefined with `monitoring.enabled: false`. */
  public readonly monitoring?: EnvironmentMonitoring;
  /** The ConfigMap and service accounts for the application, when `environmentConfig` is on. */
  public readonly environmentConfig?: EnvironmentConfig;
  /** Flux and the application's sync, only when `gitOps` is given. */
  public readonly gitOps?: GitOps;

  constructor(scope: Construct, id: string, props: ScopeEnvironmentProps = {}) {
    super(scope, id);
    // Every PropError from here on names the prop by its path in these props and this construct's path.
    const part = <T>(prefix: string | undefined, build: () => T): T => withPropPath(this, prefix, build);
    this.envName = props.envName ?? id;
    this.profile = props.profile ?? EnvironmentProfile.DEVELOPMENT;
    const defaults = part(undefined, () => {
      validateEnvName(this.envName, props.envName === undefined ? 'envName (defaulted from the construct id)' : 'envName');
      validateTags('tags', props.tags);
      claimEnvName(this);
      return profileDefaults(this.profile);
    });
    const envName = this.envName;

    this.vpc = part(undefined, () => {
      if (props.vpc && props.availabilityZones) {
        throw new PropError('Invalid availabilityZones: only for the VPC ScopeEnvironment creates; remove it or remove vpc (your VPC already has its AZs).');
      }
      const vpc = props.vpc ?? newVpc(this, 'Vpc', chooseAvailabilityZones(this, defaults.maxAzs, props.availabilityZones, 'availabilityZones'), {
        natGateways: defaults.natGateways,
        // Nothing uses the default security group; restricting it costs a custom resource Lambda
        // (the feature flag's default in new apps), which would break the 4-function budget.
        restrictDefaultSecurityGroup: false,
        subnetConfiguration: [
          // Nothing in the public subnets needs an auto-assigned public IP: NAT gateways have Elastic
          // IPs, the load balancer its own (AWS Control Tower CT.EC2.PR.11; the subnet is updated in place).
          { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
          { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        ],
      });
      return vpc;
    });

    this.encryptionKey = part(undefined, () => this.environmentKey(props.encryptionKey, defaults.customerManagedKey, defaults.storageRemovalPolicy));
    const envKey = this.encryptionKey;

    // Before the cluster, so its frontend load balancer can deliver access logs here too.
    if (props.accessLogs ?? defaults.accessLogs) {
      this.accessLogsBucket = createAccessLogBucket(this, 'AccessLogs', defaults.storageRemovalPolicy);
    }
    part(undefined, () =>
      configureFlowLogs(this.vpc, props.vpc === undefined, props.vpcFlowLogs, defaults.vpcFlowLogs, defaults.storageRemovalPolicy, envKey));

    const frontend = part(undefined, () => this.frontendOptions(props, defaults.frontendDeletionProtection, defaults.controllerReplicas));
    const clusterOptions = props.cluster ?? {};
    const typesGiven = clusterOptions.instanceType !== undefined || clusterOptions.instanceTypes !== undefined;
    this.cluster = part('cluster', () => new ScopeCluster(this, 'Cluster', {
      nodeCount: defaults.nodeCount,
      instanceTypes: typesGiven ? undefined : defaults.nodeInstanceTypes,
      capacityType: defaults.nodeCapacityType,
      prefixDelegation: defaults.prefixDelegation,
      detailedMonitoring: defaults.nodeDetailedMonitoring,
      supportType: defaults.clusterSupportType,
      kubeconfigOutput: false,
      ...clusterOptions,
      frontend,
      vpc: this.vpc,
      envName,
    }));

    // The storage key is create-only: the environment key goes to the database's storage only for a new
    // (HARDENED) database, never to one created by an earlier release (README "Existing databases").
    const hardened = props.database?.createOnlySettings === DatabaseCreateOnlySettings.HARDENED && !props.database?.snapshotIdentifier;
    part(undefined, () => {
      if (hardened && !envKey && !props.database?.storageEncryptionKey) {
        // Refused rather than falling back to aws/rds: turning the key off later would otherwise replace the database.
        throw new PropError('Invalid database.createOnlySettings: HARDENED encrypts the database storage with the environment key, but encryptionKey is '
          + 'EnvironmentKey.awsManaged() (the DEVELOPMENT default). Use EnvironmentKey.create() or fromKey(), or give database.storageEncryptionKey.');
      }
    });
    this.database = part('database', () => new UsersDatabase(this, 'Database', {
      instanceType: defaults.databaseInstanceType,
      multiAz: defaults.databaseMultiAz,
      backupRetention: defaults.databaseBackupRetention,
      // An explicit removalPolicy brings the database's own deletion-protection rule with it.
      deletionProtection: props.database?.removalPolicy === undefined ? defaults.databaseDeletionProtection : undefined,
      removalPolicy: defaults.databaseRemovalPolicy,
      monitoringInterval: defaults.databaseMonitoringInterval,
      iamAuthentication: defaults.databaseIamAuthentication,
      logExports: defaults.databaseLogExports,
      logRetention: defaults.logRetention,
      encryptionKey: envKey,
      storageEncryptionKey: hardened ? envKey : undefined,
      ...props.database,
      vpc: this.vpc,
      envName,
    }));
    // Nodes and the control plane share the cluster security group: the database admits it alone.
    this.database.allowFrom(this.cluster.cluster.clusterSecurityGroup, 'PostgreSQL from the EKS cluster');

    const reports = props.reports ?? {};
    this.reports = part('reports', () => new ReportStore(this, 'Reports', {
      removalPolicy: defaults.storageRemovalPolicy,
      pointInTimeRecovery: reports.table ? undefined : defaults.pointInTimeRecovery,
      versioned: reports.bucket ? undefined : defaults.bucketVersioned,
      encryptionKey: envKey,
      serverAccessLogsBucket: reports.bucket ? undefined : this.accessLogsBucket,
      eventBridge: reports.bucket ? undefined : defaults.bucketEventBridge,
      ...reports,
      envName,
    }));

    this.queues = part('queues', () => new ControlQueues(this, 'Queues', { encryptionKey: envKey, ...props.queues, envName }));

    this.users = part('users', () => new ScopeServiceUsers(this, 'Users', {
      encryptionKey: envKey,
      ...props.users,
      envName,
      reports: this.reports,
      queues: this.queues,
      cluster: this.cluster,
    }));

    const domain = props.domain;
    if (domain) {
      this.dns = part('domain', () => new EnvironmentDns(this, 'Dns', {
        ...domain,
        removalPolicy: domain.removalPolicy ?? defaults.zoneRemovalPolicy,
        frontend: this.cluster.frontend?.loadBalancer,
      }));
    }

    if (props.monitoring?.enabled ?? true) {
      part(undefined, () => validateAlarmEmails('monitoring.alarmEmails', props.monitoring?.alarmEmails));
      this.monitoring = part('monitoring', () => new EnvironmentMonitoring(this, 'Monitoring', {
        // The environment key encrypts the alarm topic too (EnvironmentMonitoring adds CloudWatch's statement to it).
        encryptionKey: envKey,
        ...props.monitoring,
        envName,
        profile: this.profile,
        cluster: this.cluster,
        database: this.database,
        reports: this.reports,
        queues: this.queues,
      }));
    }

    if (props.environmentConfig ?? props.gitOps !== undefined) {
      this.environmentConfig = this.addEnvironmentConfig();
    }
    const gitOps = props.gitOps;
    if (gitOps) {
      part(undefined, () => {
        if (props.cluster?.helloWorld) {
          throw new PropError('Invalid gitOps: cluster.helloWorld is on, and helloWorld and gitOps cannot both be on: both would own the Service '
            + 'that the frontend load balancer serves. Turn cluster.helloWorld off; the application from git provides that Service.');
        }
      });
      this.gitOps = part('gitOps', () => new GitOps(this, 'GitOps', { ...gitOps, cluster: this.cluster, envName }));
      // The application starts with its ConfigMap, service accounts and Pod Identity roles in place.
      if (this.environmentConfig) this.gitOps.sync.node.addDependency(this.environmentConfig);
      for (const user of [this.users.reportWriter, this.users.reportReader, this.users.queueReadWriter]) {
        // The role's scope also holds its Pod Identity association (ScopeCluster.serviceAccountRole).
        if (user.role) this.gitOps.sync.node.addDependency(user.role.node.scope ?? user.role);
      }
    }

    this.protectDatabaseLast();

    Tags.of(this).add('scope:environment', envName);
    for (const [key, value] of Object.entries(props.tags ?? {})) {
      Tags.of(this).add(key, value);
    }
    this.addOutputs(props.exportOutputs ?? false);
  }

  /**
   * The database's deletion protection step waits for every other part of the environment, so it
   * runs last and a first deploy that fails anywhere can still delete the unprotected instance.
   * The parts are read at synth time, so parts added after this call count too.
   */
  private protectDatabaseLast(): void {
    const step = this.database.deletionProtectionStep;
    if (!step) return;
    const everythingElse = {};
    const env = this;
    Dependable.implement(everythingElse, {
      get dependencyRoots() {
        return env.node.children.filter(child => child !== env.database);
      },
    });
    step.node.addDependency(everythingElse);
  }

  /**
   * The frontend options: the profile's deletion protection and controller replicas, access logs into the access-log
   * bucket (prefix `<envName>-frontend`), and with `domain.certificate` a TLS
   * listener on 443 with the DNS certificate (port 80 stays unless `cluster.frontend.ports` drops it).
   */
  private frontendOptions(props: ScopeEnvironmentProps, deletionProtection: boolean, controllerReplicas: number): FrontendOptions {
    const accessLogs = this.accessLogsBucket ? { accessLogsBucket: this.accessLogsBucket, accessLogsPrefix: `${this.envName}-frontend` } : {};
    const frontend: FrontendOptions = { deletionProtection, controllerReplicas, ...accessLogs, ...props.cluster?.frontend };
    if (!props.domain?.certificate || frontend.enabled === false) return frontend;
    if (frontend.certificate) {
      throw new PropError('Invalid cluster.frontend.certificate: domain.certificate already gives the frontend its certificate; '
        + 'set only one of them.');
    }
    const ports = frontend.ports ?? [80, 443];
    if (!ports.includes(TLS_PORT)) {
      throw new PropError(`Invalid cluster.frontend.ports [${ports.join(', ')}]: domain.certificate serves HTTPS on port ${TLS_PORT}; `
        + `include ${TLS_PORT} (e.g. [${TLS_PORT}] for HTTPS only or [80, ${TLS_PORT}]) or turn domain.certificate off.`);
    }
    // EnvironmentDns creates the certificate (it needs the zone, and the DNS records need the load
    // balancer, so DNS comes after the cluster); the listener takes its ARN, resolved at synth time
    // to a reference, so CloudFormation creates the certificate before the listener.
    const certificate = acm.Certificate.fromCertificateArn(this, 'FrontendCertificate', Lazy.string({
      produce: () => {
        if (!this.dns?.certificate) throw new Error('domain.certificate: EnvironmentDns did not create the certificate.');
        return this.dns.certificate.certificateArn;
      },
    }));
    return { ...frontend, ports, certificate };
  }

  /** The environment key: created, given (with the statements the library needs added to it), or none. */
  private environmentKey(choice: EnvironmentKey | undefined, createByDefault: boolean, removalPolicy: RemovalPolicy): kms.IKey | undefined {
    if (choice !== undefined && !(choice instanceof EnvironmentKey)) {
      throw new PropError('Invalid encryptionKey: must be EnvironmentKey.create(), EnvironmentKey.fromKey(key) or EnvironmentKey.awsManaged().');
    }
    if (choice?.key) {
      allowCloudWatchLogs(choice.key);
      denyGrantsExceptForAwsServices(choice.key);
      return choice.key;
    }
    if (choice?.createsKey ?? (choice === undefined && createByDefault)) {
      return createEnvironmentKey(this, 'EncryptionKey', this.envName, removalPolicy);
    }
    return undefined;
  }

  /** The non-secret values the application needs, bound to this environment's resources. */
  private addEnvironmentConfig(): EnvironmentConfig {
    const values: { [key: string]: string } = {
      SCOPE_ENVIRONMENT: this.envName,
      AWS_REGION: Stack.of(this).region,
      REPORTS_TABLE: this.reports.table.tableName,
      REPORTS_BUCKET: this.reports.bucket.bucketName,
      CONTROL_QUEUE_PREFIX: this.queues.queuePrefix,
      DATABASE_HOST: this.database.instance.dbInstanceEndpointAddress,
      DATABASE_PORT: this.database.instance.dbInstanceEndpointPort,
      DATABASE_NAME: this.database.databaseName,
      DATABASE_SECRET_ARN: this.database.appSecret.secretArn,
    };
    const keySecrets = [
      ['REPORT_WRITER_SECRET_ARN', this.users.reportWriter],
      ['REPORT_READER_SECRET_ARN', this.users.reportReader],
      ['QUEUE_READWRITER_SECRET_ARN', this.users.queueReadWriter],
    ] as const;
    for (const [key, user] of keySecrets) {
      if (user.secret) values[key] = user.secret.secretArn;
    }
    const frontend = this.cluster.frontend;
    return new EnvironmentConfig(this, 'EnvironmentConfig', {
      cluster: this.cluster.cluster,
      namespace: this.users.namespace,
      values,
      serviceAccounts: this.users.serviceAccounts,
      // One owner per namespace: the frontend's, when its Service runs in the application's namespace.
      namespaceManifest: frontend?.namespace === this.users.namespace ? frontend.namespaceManifest : undefined,
    });
  }

  /**
   * Outputs keyed `<EnvName><Key>` (`DevKubeconfigCommand`), without the hash CDK would add, so
   * scripts can read them by a name that never changes; claimEnvName keeps them unique per stack.
   */
  private addOutputs(exportOutputs: boolean): void {
    const output = (key: string, value: string, description: string) => {
      const cfnOutput = new CfnOutput(this, key, {
        value,
        description: `${this.envName}: ${description}`,
        exportName: exportOutputs ? `scope-${this.envName}-${key}` : undefined,
      });
      cfnOutput.overrideLogicalId(outputKey(this.envName, key));
    };

    output('KubeconfigCommand', this.cluster.kubeconfigCommand, 'run this to get a kubeconfig for the cluster (replaces the checked-in kubeconfig)');
    const frontend = this.cluster.frontend;
    if (frontend) {
      const host = this.dns?.frontendName ?? frontend.loadBalancer.loadBalancerDnsName;
      const scheme = frontend.ports.includes(TLS_PORT) ? 'https' : 'http';
      output('FrontendUrl', `${scheme}://${host}/`, 'URL of the frontend load balancer');
    }
    // Without delegation EnvironmentDns already outputs the name servers with what to add where.
    const dnsOutput = this.dns?.nameServersOutput;
    if (dnsOutput) {
      dnsOutput.overrideLogicalId(outputKey(this.envName, 'ZoneNameServers'));
      if (exportOutputs) dnsOutput.exportName = `scope-${this.envName}-ZoneNameServers`;
    } else if (this.dns?.nameServers) {
      output('ZoneNameServers', Fn.join(',', this.dns.nameServers), `name servers of ${this.dns.zoneName}; the parent domain delegates to them`);
    }
    output('DatabaseEndpoint', this.database.instance.dbInstanceEndpointAddress, 'PostgreSQL endpoint (private, TLS only)');
    output('DatabaseAppSecretArn', this.database.appSecret.secretArn, 'secret with the users service postgres:// URL (read it, never print it in CI logs)');
    output('ReportsTableName', this.reports.table.tableName, 'DynamoDB reports table');
    output('ReportsBucketName', this.reports.bucket.bucketName, 'S3 bucket for report bodies');
    output('ControlQueuePrefix', this.queues.queuePrefix, 'name prefix of the control queues');
    if (this.monitoring) {
      output('AlarmTopicArn', this.monitoring.alarmTopic.topicArn, 'SNS topic of the alarms; subscribe Chatbot (Slack), PagerDuty or HTTPS endpoints to it');
      output('DashboardName', `${this.envName}-scope`, 'CloudWatch dashboard of the environment');
    }
    const users = [
      ['ReportWriterSecretArn', this.users.reportWriter, 'collection service (report writer)'],
      ['ReportReaderSecretArn', this.users.reportReader, 'query service (report reader)'],
      ['QueueReadWriterSecretArn', this.users.queueReadWriter, 'control service (queue reader/writer)'],
    ] as const;
    for (const [id, user, what] of users) {
      if (user.secret) {
        output(id, user.secret.secretArn, `access key secret of the ${what}; \`npx scope-credentials --secret <arn>\` prints its URL`);
      }
    }
  }
}

/** The logical ID of an environment's output: `<EnvName><Key>` (`my-env`, `FrontendUrl` -> `MyEnvFrontendUrl`). */
function outputKey(envName: string, key: string): string {
  return envName.split('-').map(word => word.charAt(0).toUpperCase() + word.slice(1)).join('') + key;
}

/** The environments built so far in each app (keyed by the construct tree's root). */
const ENVIRONMENTS = new WeakMap<IConstruct, ScopeEnvironment[]>();

/**
 * Fails if this environment's name is taken by another ScopeEnvironment of the same app in the
 * same stack, or in a stack of the same account (IAM user names, the queue prefix and the other
 * names derived from envName are per account), or if both would get the same output keys in one
 * stack. Stacks whose account is only known at deploy time may reuse a name across stacks.
 */
function claimEnvName(env: ScopeEnvironment): void {
  const root = env.node.root;
  const environments = ENVIRONMENTS.get(root) ?? [];
  ENVIRONMENTS.set(root, environments);
  const stack = Stack.of(env);
  for (const other of environments) {
    const otherStack = Stack.of(other);
    const sameStack = otherStack === stack;
    const sameAccount = !Token.isUnresolved(stack.account) && otherStack.account === stack.account;
    if (other.envName === env.envName && (sameStack || sameAccount)) {
      throw new PropError(`Invalid envName '${env.envName}': ScopeEnvironment ${other.node.path} already uses it `
        + `${sameStack ? `in stack ${stack.stackName}` : `in account ${stack.account}`}; IAM user names, the queue prefix `
        + 'and the other names derived from envName would collide. Give one of them another envName.');
    }
    if (sameStack && outputKey(other.envName, '') === outputKey(env.envName, '')) {
      throw new PropError(`Invalid envName '${env.envName}': its output keys (${outputKey(env.envName, 'FrontendUrl')}, ...) `
        + `are those of ScopeEnvironment ${other.node.path} ('${other.envName}') in the same stack; give one of them another envName.`);
    }
  }
  environments.push(env);
}
