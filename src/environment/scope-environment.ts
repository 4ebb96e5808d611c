import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { addEnvironmentConfig } from './config';
import { ScopeEnvironmentProps } from './props';
import * as resolve from './resolve';
import { checkEnvironmentProps, claimEnvName } from './validate';
import { withDnsCertificate, wireEnvironment } from './wiring';
import { ScopeCluster } from '../cluster';
import { stateKubectlLogGroups } from '../cluster/kubectl';
import { UsersDatabase } from '../database';
import { EnvironmentDns } from '../dns';
import { buildEnvironmentKey } from '../encryption/build-key';
import { EnvironmentConfig, GitOps } from '../gitops';
import { ScopeServiceUsers } from '../iam';
import { EnvironmentMonitoring } from '../monitoring';
import { configureFlowLogs } from '../network/flow-logs';
import { buildEnvironmentVpc } from '../network/vpc';
import { createAccessLogBucket } from '../private/access-logs';
import { withPropPath } from '../private/validate';
import { EnvironmentProfile } from '../profile';
import { ControlQueues } from '../queue';
import { ReportStore } from '../storage';

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
    const { envName, profile, defaults: d } = part(undefined, () => resolve.resolveBasics(id, props));
    this.envName = envName;
    this.profile = profile;
    part(undefined, () => {
      claimEnvName(this, envName);
      checkEnvironmentProps(props, d, envName);
    });

    // Construct ids and scopes below are a contract (logical IDs): every part is a child of this construct.
    this.vpc = part(undefined, () => buildEnvironmentVpc(this, resolve.vpcProps(props, d)));
    const encryptionKey = this.encryptionKey = part(undefined, () => buildEnvironmentKey(this, resolve.keyProps(props, d, envName)));
    // Before the cluster, so its frontend load balancer can deliver access logs here too.
    if (resolve.accessLogsOn(props, d)) this.accessLogsBucket = createAccessLogBucket(this, 'AccessLogs', d.storageRemovalPolicy);
    configureFlowLogs(this.vpc, resolve.flowLogsProps(props, d, encryptionKey));
    const frontend = withDnsCertificate(this, props, resolve.frontendOptions(props, d, envName, this.accessLogsBucket), () => this.dns);

    this.cluster = part('cluster', () => new ScopeCluster(this, 'Cluster', resolve.clusterProps(props, d, { vpc: this.vpc, envName, frontend })));
    // Whatever flag the app sets, the kubectl functions' log groups expire, use the key, go with the stack.
    stateKubectlLogGroups(this.cluster.eksCluster, { retention: d.logRetention, encryptionKey, removalPolicy: RemovalPolicy.DESTROY });
    this.database = part('database', () => new UsersDatabase(this, 'Database', resolve.databaseProps(props, d, { vpc: this.vpc, envName, encryptionKey })));
    this.reports = part('reports', () => new ReportStore(this, 'Reports',
      resolve.reportStoreProps(props, d, { envName, encryptionKey, accessLogsBucket: this.accessLogsBucket })));
    this.queues = part('queues', () => new ControlQueues(this, 'Queues', resolve.queuesProps(props, envName, encryptionKey)));
    this.users = part('users', () => new ScopeServiceUsers(this, 'Users',
      resolve.usersProps(props, { envName, encryptionKey, reports: this.reports, queues: this.queues, cluster: this.cluster })));
    const dns = resolve.dnsProps(props, d, this.cluster);
    if (dns) this.dns = part('domain', () => new EnvironmentDns(this, 'Dns', dns));
    const monitoring = resolve.monitoringProps(props,
      { envName, profile, encryptionKey, cluster: this.cluster, database: this.database, reports: this.reports, queues: this.queues });
    if (monitoring) this.monitoring = part('monitoring', () => new EnvironmentMonitoring(this, 'Monitoring', monitoring));
    if (resolve.environmentConfigOn(props)) this.environmentConfig = addEnvironmentConfig(this);
    const gitOps = resolve.gitOpsProps(props, this.cluster, envName);
    if (gitOps) this.gitOps = part('gitOps', () => new GitOps(this, 'GitOps', gitOps));

    wireEnvironment(this, props);
  }
}
