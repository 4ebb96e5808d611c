import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { ClusterSupportType } from './cluster/kubernetes-version';

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
    // Graviton Spot nodes with 4 GiB and prefix delegation: 2 nodes take the whole Scope app plus a
    // rolling update (>= 24 free pod slots, >= 3 GiB for apps; `npx projen bench`, capacity.test.ts)
    // under 200 USD a month. Several 4 GiB arm64 types so that Spot finds capacity; the
    // capacity model counts the worst of them. On-demand t4g.medium would cross 200 USD.
    nodeInstanceTypes: ['t4g.medium', 'm6g.medium', 'm7g.medium'].map(t => new ec2.InstanceType(t)),
    nodeCapacityType: eks.CapacityType.SPOT,
    prefixDelegation: true,
    controllerReplicas: 1,
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
    // Production is never upgraded under the running application by EKS; past the end of standard
    // support it costs $0.50 per cluster-hour more (~365 USD/month) until upgraded (README "Upgrading Kubernetes").
    clusterSupportType: ClusterSupportType.EXTENDED,
    databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.M7G, ec2.InstanceSize.LARGE),
    databaseMultiAz: true,
    databaseBackupRetention: Duration.days(14),
    databaseDeletionProtection: true,
    databaseRemovalPolicy: RemovalPolicy.SNAPSHOT,
    storageRemovalPolicy: RemovalPolicy.RETAIN,
    pointInTimeRecovery: true,
    bucketVersioned: true,
    zoneRemovalPolicy: RemovalPolicy.RETAIN,
  },
};

/** The defaults of `profile`. */
export function profileDefaults(profile: EnvironmentProfile): ProfileDefaults {
  const defaults = PROFILE_DEFAULTS[profile];
  if (!defaults) {
    throw new Error(`Invalid profile '${profile}': must be one of ${Object.values(EnvironmentProfile).map(p => `'${p}'`).join(', ')} (EnvironmentProfile).`);
  }
  return defaults;
}
