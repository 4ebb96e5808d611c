import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ClusterSupportType } from '../cluster/kubernetes-version';
import { PropError } from '../private/validate';

/** What an environment is for; it picks every default of ScopeEnvironment. */
export enum EnvironmentProfile {
  /** Cheap and fully removable by `cdk destroy`. */
  DEVELOPMENT = 'development',
  /** Keeps data: snapshots, retained table, bucket and zone, deletion protection, more capacity. */
  PRODUCTION = 'production',
}

/** The defaults of one profile. Internal: a prop that is given always wins. */
export interface ProfileDefaults {
  readonly maxAzs: number;
  readonly natGateways: number;
  readonly vpcFlowLogs: boolean;
  readonly nodeCount: number;
  /** Instance types of the node group; several only make sense with Spot capacity. */
  readonly nodeInstanceTypes: ec2.InstanceType[];
  readonly nodeCapacityType: eks.CapacityType;
  /** VPC CNI prefix delegation (managed vpc-cni add-on) with max pods that follow it. */
  readonly prefixDelegation: boolean;
  /** Replicas of the AWS Load Balancer Controller. */
  readonly controllerReplicas: number;
  readonly nodeDetailedMonitoring: boolean;
  readonly frontendDeletionProtection: boolean;
  readonly clusterSupportType: ClusterSupportType;
  readonly databaseInstanceType: ec2.InstanceType;
  readonly databaseMultiAz: boolean;
  readonly databaseBackupRetention: Duration;
  readonly databaseDeletionProtection: boolean;
  readonly databaseRemovalPolicy: RemovalPolicy;
  readonly storageRemovalPolicy: RemovalPolicy;
  readonly pointInTimeRecovery: boolean;
  readonly bucketVersioned: boolean;
  readonly zoneRemovalPolicy: RemovalPolicy;
  /** One customer managed key for the environment (EnvironmentKey.create()), else AWS owned/managed keys. */
  readonly customerManagedKey: boolean;
  /** Retention of the log groups the library creates (CT.CLOUDWATCH.PR.2 asks for at least a year). */
  readonly logRetention: logs.RetentionDays;
  readonly databaseMonitoringInterval?: Duration;
  readonly databaseIamAuthentication: boolean;
  readonly databaseLogExports: boolean;
  /** CloudWatch Database Insights (Standard mode, Performance Insights with the free 7 days) on the users database. */
  readonly databaseInsights: boolean;
  /** S3 server access logs of the reports bucket into an access-log bucket. */
  readonly accessLogs: boolean;
  /** Object events of the reports bucket to the default EventBridge bus (free). */
  readonly bucketEventBridge: boolean;
  /** Container Insights (amazon-cloudwatch-observability add-on) on the cluster. */
  readonly containerInsights: boolean;
  /** Alarm thresholds of EnvironmentMonitoring (see README "Monitoring"). */
  readonly alarms: AlarmThresholds;
}

/**
 * Alarm thresholds of one profile. Internal. Sources: the CloudWatch "Recommended alarms" page
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html)
 * where it gives a number, otherwise the reason next to the value.
 */
export interface AlarmThresholds {
  /** RDS CPUUtilization (average, %) above which the database is saturated. */
  readonly databaseCpuPercent: number;
  /** RDS FreeableMemory below this share of the instance class memory. */
  readonly databaseFreeMemoryShare: number;
  /** RDS FreeStorageSpace below this share of the allocated storage. */
  readonly databaseFreeStorageShare: number;
  /** RDS DatabaseConnections above this share of the estimated max_connections. */
  readonly databaseConnectionsShare: number;
  /** RDS ReadLatency / WriteLatency (p90) above this many seconds. */
  readonly databaseLatencySeconds: number;
  /** DynamoDB ReadThrottleEvents / WriteThrottleEvents (sum per minute) above this. */
  readonly tableThrottleEvents: number;
  /** SQS ApproximateAgeOfOldestMessage (max over the control queues) above this many seconds. */
  readonly queueOldestMessageSeconds: number;
  /** SQS ApproximateNumberOfMessagesVisible (max over the control queues) above this. */
  readonly queueVisibleMessages: number;
  /** NLB TCP_ELB_Reset_Count (sum per 5 minutes) above this. */
  readonly frontendResetsPer5Minutes: number;
  /** Container Insights node_cpu_utilization / node_memory_utilization (max, %) above this. */
  readonly nodeUtilizationPercent: number;
  /** EKS apiserver_request_total_5XX (sum per 5 minutes) above this. */
  readonly apiServer5xxPer5Minutes: number;
}

/**
 * Every default of ScopeEnvironment, one column per profile (see README "Profiles").
 * DEVELOPMENT stays under 200 USD a month idle (see benchmarks/cost.ts); PRODUCTION keeps data.
 */
export const PROFILE_DEFAULTS: { readonly [profile: string]: ProfileDefaults } = {
  [EnvironmentProfile.DEVELOPMENT]: {
    maxAzs: 2,
    natGateways: 1,
    vpcFlowLogs: false,
    nodeCount: 2,
    // Graviton Spot nodes with >= 4 GiB and prefix delegation: 2 nodes take the whole Scope app plus a
    // rolling update (>= 24 free pod slots, >= 3 GiB for apps; `npx projen bench`, capacity.test.ts)
    // under 200 USD a month. Twelve arm64 types, because "A good rule of thumb is to be flexible
    // across at least 10 instance types for each workload" (Amazon EC2 User Guide, Spot best
    // practices, https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-best-practices.html);
    // each gives 98 or 110 pods with prefix delegation, so the node group's one max pods value
    // stays 98 (the smallest; src/cluster/instance-types.ts). The first one prices the cost model.
    // On-demand t4g.medium would cross 200 USD.
    nodeInstanceTypes: [
      't4g.medium', 't4g.large', 'm6g.medium', 'm7g.medium', 'm8g.medium', 'r6g.medium',
      'r7g.medium', 'c6g.large', 'c7g.large', 'c8g.large', 'm6g.large', 'm7g.large',
    ].map(t => new ec2.InstanceType(t)),
    nodeCapacityType: eks.CapacityType.SPOT,
    prefixDelegation: true,
    controllerReplicas: 1,
    // Detailed (1-minute) EC2 metrics are billed per metric (https://aws.amazon.com/cloudwatch/pricing/): not for dev.
    nodeDetailedMonitoring: false,
    frontendDeletionProtection: false,
    // A forgotten dev cluster is upgraded by EKS at the end of standard support, never billed 6x.
    clusterSupportType: ClusterSupportType.STANDARD,
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    databaseMultiAz: false,
    databaseBackupRetention: Duration.days(1),
    databaseDeletionProtection: false,
    databaseRemovalPolicy: RemovalPolicy.DESTROY,
    storageRemovalPolicy: RemovalPolicy.DESTROY,
    pointInTimeRecovery: false,
    bucketVersioned: false,
    zoneRemovalPolicy: RemovalPolicy.DESTROY,
    customerManagedKey: false,
    logRetention: logs.RetentionDays.ONE_MONTH,
    databaseMonitoringInterval: undefined,
    // Free, in place, and changes nothing for password logins.
    databaseIamAuthentication: true,
    databaseLogExports: false,
    // Off: nobody tunes queries on a dev database; pg_stat_activity answers the CPU alarm there.
    databaseInsights: false,
    accessLogs: false,
    bucketEventBridge: false,
    // Off: enhanced observability is billed per observation plus log ingestion, and its two
    // DaemonSet pods per node (cloudwatch-agent, fluent-bit) take 2 of the 11 pod slots of a t3a.small.
    containerInsights: false,
    alarms: {
      databaseCpuPercent: 90,
      // 10 %, not AWS's 25 %: an idle db.t4g.micro (1 GiB) gives about a quarter of its memory to
      // shared_buffers and would sit near 25 % free; 10 % still warns before swapping.
      databaseFreeMemoryShare: 0.10,
      databaseFreeStorageShare: 0.10,
      databaseConnectionsShare: 0.8,
      databaseLatencySeconds: 0.020,
      tableThrottleEvents: 0,
      // Developers stop the control service for hours: only a day-old message is news.
      queueOldestMessageSeconds: 86400,
      queueVisibleMessages: 10000,
      frontendResetsPer5Minutes: 1000,
      nodeUtilizationPercent: 80,
      apiServer5xxPer5Minutes: 10,
    },
  },
  [EnvironmentProfile.PRODUCTION]: {
    maxAzs: 3,
    natGateways: 3,
    vpcFlowLogs: true,
    nodeCount: 3,
    nodeInstanceTypes: [new ec2.InstanceType('m7i.large')],
    nodeCapacityType: eks.CapacityType.ON_DEMAND,
    // 29 pods per m7i.large are plenty; turning it on would roll the nodes of existing clusters.
    prefixDelegation: false,
    // Two replicas spread over nodes with a PodDisruptionBudget: a node rollover never leaves the frontend without one.
    controllerReplicas: 2,
    nodeDetailedMonitoring: true,
    frontendDeletionProtection: true,
    // Production is never upgraded under the running application by EKS; past the end of standard
    // support it costs $0.50 per cluster-hour more (~365 USD/month) until upgraded (README "Upgrading Kubernetes").
    clusterSupportType: ClusterSupportType.EXTENDED,
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
    databaseMultiAz: true,
    databaseBackupRetention: Duration.days(14),
    databaseDeletionProtection: true,
    databaseRemovalPolicy: RemovalPolicy.SNAPSHOT,
    // RetainExceptOnCreate: kept on delete and replacement, deleted when the deploy that created them
    // rolls back, so a failed first deploy leaves no named leftovers that make the retry fail with
    // "already exists" (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-attribute-deletionpolicy.html).
    storageRemovalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    pointInTimeRecovery: true,
    bucketVersioned: true,
    zoneRemovalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    customerManagedKey: true,
    logRetention: logs.RetentionDays.ONE_YEAR,
    databaseMonitoringInterval: Duration.seconds(60),
    databaseIamAuthentication: true,
    databaseLogExports: true,
    // Standard mode with 7 days of Performance Insights is free; the database CPU alarm's runbook points there.
    databaseInsights: true,
    accessLogs: true,
    bucketEventBridge: true,
    containerInsights: true,
    alarms: {
      databaseCpuPercent: 90,
      databaseFreeMemoryShare: 0.25,
      databaseFreeStorageShare: 0.10,
      databaseConnectionsShare: 0.8,
      databaseLatencySeconds: 0.020,
      tableThrottleEvents: 0,
      // A control message waiting 5 minutes means the control service is not consuming.
      queueOldestMessageSeconds: 300,
      queueVisibleMessages: 1000,
      frontendResetsPer5Minutes: 100,
      nodeUtilizationPercent: 80,
      apiServer5xxPer5Minutes: 10,
    },
  },
};

/** The defaults of `profile`. */
export function profileDefaults(profile: EnvironmentProfile): ProfileDefaults {
  const defaults = PROFILE_DEFAULTS[profile];
  if (!defaults) {
    throw new PropError(`Invalid profile '${profile}': must be one of ${Object.values(EnvironmentProfile).map(p => `'${p}'`).join(', ')} (EnvironmentProfile).`);
  }
  return defaults;
}
