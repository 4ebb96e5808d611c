/**
 * Profile + props -> each part's props. Pure functions: no construct is created here, so every
 * rule "a given prop wins over the profile" is unit-testable without a construct tree
 * (test/environment/resolve.test.ts). Every default of ScopeEnvironment lives in the profile table
 * (src/profile/profile.ts) or in the constants of this file; the constructor holds none.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ScopeEnvironmentProps } from './props';
import { ScopeCluster, ScopeClusterProps } from '../cluster';
import { DatabaseCreateOnlySettings, UsersDatabase, UsersDatabaseProps } from '../database';
import { DEFAULT_CREATE_ONLY_SETTINGS } from '../database/defaults';
import { EnvironmentDnsProps } from '../dns';
import { EnvironmentKeyProps } from '../encryption/build-key';
import { KeyUser, keyRemovalPolicy } from '../encryption/key-removal';
import { FrontendOptions } from '../frontend';
import { GitOpsProps } from '../gitops';
import { ScopeServiceUsersProps } from '../iam';
import { EnvironmentMonitoringProps } from '../monitoring';
import { FlowLogsProps } from '../network/flow-logs';
import { EnvironmentVpcProps } from '../network/vpc';
import { HTTP_PORT, TLS_PORT } from '../private/ports';
import { validateEnvName, validateTags } from '../private/validate';
import { EnvironmentProfile, ProfileDefaults, profileDefaults } from '../profile';
import { ControlQueues, ControlQueuesProps } from '../queue';
import { ReportStore, ReportStoreProps } from '../storage';

/** The profile when none is given. */
export const DEFAULT_PROFILE = EnvironmentProfile.DEVELOPMENT;

/** Listener ports of the frontend when `domain.certificate` gives it a TLS listener: port 80 stays. */
export const DNS_CERTIFICATE_PORTS = [HTTP_PORT, TLS_PORT];

/** The environment's name, profile and the profile's defaults. */
export interface EnvironmentBasics {
  /** `envName`, or the construct id. */
  readonly envName: string;
  /** `profile`, or DEFAULT_PROFILE. */
  readonly profile: EnvironmentProfile;
  /** The profile's column of the defaults table. */
  readonly defaults: ProfileDefaults;
}

/** The environment's name and profile; fails on a bad envName, tag or profile. */
export function resolveBasics(id: string, props: ScopeEnvironmentProps): EnvironmentBasics {
  const envName = props.envName ?? id;
  validateEnvName(envName, props.envName === undefined ? 'envName (defaulted from the construct id)' : 'envName');
  validateTags('tags', props.tags);
  const profile = props.profile ?? DEFAULT_PROFILE;
  return { envName, profile, defaults: profileDefaults(profile) };
}

/** The VPC: the user's, or a new one sized by the profile. */
export function vpcProps(props: ScopeEnvironmentProps, d: ProfileDefaults): EnvironmentVpcProps {
  return { vpc: props.vpc, availabilityZones: props.availabilityZones, vpcFlowLogs: props.vpcFlowLogs, maxAzs: d.maxAzs, natGateways: d.natGateways };
}

/**
 * The environment key: the given choice, else a created key when the profile says so. A created
 * key's removal policy is the strongest of its users' (src/encryption/key-removal.ts).
 */
export function keyProps(props: ScopeEnvironmentProps, d: ProfileDefaults, envName: string): EnvironmentKeyProps {
  return { choice: props.encryptionKey, createByDefault: d.customerManagedKey, envName, removalPolicy: keyRemovalPolicy(keyUsers(props, d)) };
}

/**
 * The resources under the environment key that can outlive the stack, with their resolved removal
 * policies (the others are DESTROY: queues, alarm topic, service users' secrets, Container
 * Insights logs): the reports table and bucket it creates, the flow-log group, and the database
 * when the key encrypts its storage (HARDENED) or its secrets stay with a retained instance.
 */
export function keyUsers(props: ScopeEnvironmentProps, d: ProfileDefaults): KeyUser[] {
  const users: KeyUser[] = [];
  const reports = props.reports ?? {};
  if (!(reports.table && reports.bucket)) users.push({ name: 'reports', removalPolicy: reports.removalPolicy ?? d.storageRemovalPolicy });
  const flowLogs = flowLogsProps(props, d);
  if (flowLogs.owned && flowLogs.enabled) users.push({ name: 'flow logs', removalPolicy: flowLogs.removalPolicy });
  const database = props.database?.removalPolicy ?? d.databaseRemovalPolicy;
  const secretsKept = database === RemovalPolicy.RETAIN || database === RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE;
  if (isHardenedDatabase(props) || secretsKept) users.push({ name: 'database', removalPolicy: database });
  return users;
}

/** Whether the environment has an access-log bucket. */
export function accessLogsOn(props: ScopeEnvironmentProps, d: ProfileDefaults): boolean {
  return props.accessLogs ?? d.accessLogs;
}

/** Flow logs of the VPC the environment creates (none on a VPC the user passes). */
export function flowLogsProps(props: ScopeEnvironmentProps, d: ProfileDefaults, encryptionKey?: kms.IKey): FlowLogsProps {
  return { owned: props.vpc === undefined, enabled: props.vpcFlowLogs ?? d.vpcFlowLogs, removalPolicy: d.storageRemovalPolicy, encryptionKey };
}

/** Whether `domain.certificate` gives the frontend its TLS listener (and certificate). */
export function usesDnsCertificate(props: ScopeEnvironmentProps): boolean {
  return !!props.domain?.certificate && props.cluster?.frontend?.enabled !== false;
}

/**
 * The frontend options: the profile's deletion protection and controller replicas, access logs into
 * the access-log bucket (prefix `<envName>-frontend`), then the user's `cluster.frontend`; with
 * `domain.certificate` the ports default to DNS_CERTIFICATE_PORTS (the certificate itself is wired
 * in by `withDnsCertificate`, wiring.ts).
 */
export function frontendOptions(props: ScopeEnvironmentProps, d: ProfileDefaults, envName: string, accessLogsBucket?: s3.IBucket): FrontendOptions {
  const accessLogs = accessLogsBucket ? { accessLogsBucket, accessLogsPrefix: `${envName}-frontend` } : {};
  const frontend: FrontendOptions = {
    deletionProtection: d.frontendDeletionProtection,
    controllerReplicas: d.controllerReplicas,
    ...accessLogs,
    ...props.cluster?.frontend,
  };
  if (!usesDnsCertificate(props)) return frontend;
  return { ...frontend, ports: frontend.ports ?? DNS_CERTIFICATE_PORTS };
}

/** What the cluster gets from its neighbours. */
export interface ClusterNeighbours {
  readonly vpc: ec2.IVpc;
  readonly envName: string;
  readonly frontend: FrontendOptions;
}

/**
 * The cluster: the profile's node group and support type (its instance types only when the user gives
 * neither `instanceType` nor `instanceTypes`), no kubeconfig output of its own (the environment has one).
 */
export function clusterProps(props: ScopeEnvironmentProps, d: ProfileDefaults, n: ClusterNeighbours): ScopeClusterProps {
  const options = props.cluster ?? {};
  const typesGiven = options.instanceType !== undefined || options.instanceTypes !== undefined;
  return {
    nodeCount: d.nodeCount,
    instanceTypes: typesGiven ? undefined : d.nodeInstanceTypes,
    capacityType: d.nodeCapacityType,
    prefixDelegation: d.prefixDelegation,
    detailedMonitoring: d.nodeDetailedMonitoring,
    supportType: d.clusterSupportType,
    kubeconfigOutput: false,
    ...options,
    frontend: n.frontend,
    vpc: n.vpc,
    envName: n.envName,
  };
}

/**
 * True for a new database with the HARDENED create-only settings (the default). The storage key is
 * create-only: the environment key goes to the database's storage only for such a database, never to
 * one imported from the old runbook (ORIGINAL; README "Existing databases").
 */
export function isHardenedDatabase(props: ScopeEnvironmentProps): boolean {
  return (props.database?.createOnlySettings ?? DEFAULT_CREATE_ONLY_SETTINGS) === DatabaseCreateOnlySettings.HARDENED
    && !props.database?.snapshotIdentifier;
}

/** What the database gets from its neighbours. */
export interface DatabaseNeighbours {
  readonly vpc: ec2.IVpc;
  readonly envName: string;
  readonly encryptionKey?: kms.IKey;
}

/** The database: the profile's size, backups and protection, the environment key for its secrets (and a HARDENED one's storage). */
export function databaseProps(props: ScopeEnvironmentProps, d: ProfileDefaults, n: DatabaseNeighbours): UsersDatabaseProps {
  return {
    instanceType: d.databaseInstanceType,
    multiAz: d.databaseMultiAz,
    backupRetention: d.databaseBackupRetention,
    // An explicit removalPolicy brings the database's own deletion-protection rule with it.
    deletionProtection: props.database?.removalPolicy === undefined ? d.databaseDeletionProtection : undefined,
    removalPolicy: d.databaseRemovalPolicy,
    monitoringInterval: d.databaseMonitoringInterval,
    iamAuthentication: d.databaseIamAuthentication,
    logExports: d.databaseLogExports,
    databaseInsights: d.databaseInsights,
    logRetention: d.logRetention,
    encryptionKey: n.encryptionKey,
    storageEncryptionKey: isHardenedDatabase(props) ? n.encryptionKey : undefined,
    ...props.database,
    vpc: n.vpc,
    envName: n.envName,
  };
}

/** What the report store gets from its neighbours. */
export interface ReportStoreNeighbours {
  readonly envName: string;
  readonly encryptionKey?: kms.IKey;
  readonly accessLogsBucket?: s3.IBucket;
}

/**
 * The report store: the profile's removal policy; PITR only for a table it creates, versioning,
 * access logs and EventBridge only for a bucket it creates (not for `reports.table` / `reports.bucket`).
 */
export function reportStoreProps(props: ScopeEnvironmentProps, d: ProfileDefaults, n: ReportStoreNeighbours): ReportStoreProps {
  const reports = props.reports ?? {};
  return {
    removalPolicy: d.storageRemovalPolicy,
    pointInTimeRecovery: reports.table ? undefined : d.pointInTimeRecovery,
    versioned: reports.bucket ? undefined : d.bucketVersioned,
    encryptionKey: n.encryptionKey,
    serverAccessLogsBucket: reports.bucket ? undefined : n.accessLogsBucket,
    eventBridge: reports.bucket ? undefined : d.bucketEventBridge,
    ...reports,
    envName: n.envName,
  };
}

/** The control queues: the environment key for pre-created queues unless `queues` says otherwise. */
export function queuesProps(props: ScopeEnvironmentProps, envName: string, encryptionKey?: kms.IKey): ControlQueuesProps {
  return { encryptionKey, ...props.queues, envName };
}

/** What the service users get from their neighbours. */
export interface UsersNeighbours {
  readonly envName: string;
  readonly encryptionKey?: kms.IKey;
  readonly reports: ReportStore;
  readonly queues: ControlQueues;
  readonly cluster: ScopeCluster;
}

/** The service users: their secrets under the environment key unless `users` says otherwise. */
export function usersProps(props: ScopeEnvironmentProps, n: UsersNeighbours): ScopeServiceUsersProps {
  return { encryptionKey: n.encryptionKey, ...props.users, envName: n.envName, reports: n.reports, queues: n.queues, cluster: n.cluster };
}

/** DNS, only with `domain`: the profile's zone removal policy unless `domain.removalPolicy` is given; the alias to the frontend. */
export function dnsProps(props: ScopeEnvironmentProps, d: ProfileDefaults, cluster: ScopeCluster): EnvironmentDnsProps | undefined {
  const domain = props.domain;
  if (!domain) return undefined;
  return { ...domain, removalPolicy: domain.removalPolicy ?? d.zoneRemovalPolicy, frontend: cluster.frontend?.loadBalancer };
}

/** What monitoring watches. */
export interface MonitoringNeighbours {
  readonly envName: string;
  readonly profile: EnvironmentProfile;
  readonly encryptionKey?: kms.IKey;
  readonly cluster: ScopeCluster;
  readonly database: UsersDatabase;
  readonly reports: ReportStore;
  readonly queues: ControlQueues;
}

/** Monitoring, on unless `monitoring.enabled` is false; the environment key encrypts the alarm topic too. */
export function monitoringProps(props: ScopeEnvironmentProps, n: MonitoringNeighbours): EnvironmentMonitoringProps | undefined {
  if (!(props.monitoring?.enabled ?? true)) return undefined;
  const { encryptionKey, ...parts } = n;
  return { encryptionKey, ...props.monitoring, ...parts };
}

/** Whether the environment creates its ConfigMap: `environmentConfig`, else on exactly when `gitOps` is given. */
export function environmentConfigOn(props: ScopeEnvironmentProps): boolean {
  return props.environmentConfig ?? props.gitOps !== undefined;
}

/** GitOps, only with `gitOps`. */
export function gitOpsProps(props: ScopeEnvironmentProps, cluster: ScopeCluster, envName: string): GitOpsProps | undefined {
  return props.gitOps ? { ...props.gitOps, cluster, envName } : undefined;
}

/** Whether the outputs are exported (`scope-<envName>-<Key>`). */
export function exportOutputsOn(props: ScopeEnvironmentProps): boolean {
  return props.exportOutputs ?? false;
}
