import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { ClusterSupportType } from './cluster/kubernetes-version';
import { PropError } from './private/validate';

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
  readonly nodeInstanceType: ec2.InstanceType;
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
    // 2 vCPU, 2 GiB, 11 pods per node: enough for the system pods and a small app; t3a.medium would cross 200 USD.
    nodeInstanceType: new ec2.InstanceType('t3a.small'),
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
    nodeInstanceType: new ec2.InstanceType('m7i.large'),
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
    throw new PropError(`Invalid profile '${profile}': must be one of ${Object.values(EnvironmentProfile).map(p => `'${p}'`).join(', ')} (EnvironmentProfile).`);
  }
  return defaults;
}
