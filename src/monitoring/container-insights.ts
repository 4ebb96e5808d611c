/** Container Insights with enhanced observability on a ScopeCluster (not exported from the package). */
import { RemovalPolicy, aws_eks as eksv1 } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ScopeCluster } from '../cluster';
import { acknowledgeManagedPolicies } from '../private/nag';

/** The EKS add-on that runs the CloudWatch agent and Fluent Bit (Container Insights with enhanced observability). */
const OBSERVABILITY_ADDON = 'amazon-cloudwatch-observability';
/** Namespace and service account the add-on runs the CloudWatch agent and Fluent Bit under. */
const OBSERVABILITY_SERVICE_ACCOUNT = 'cloudwatch-agent';

/** What addContainerInsights needs besides the cluster. */
export interface ContainerInsightsOptions {
  readonly envName: string;
  /** Retention of the log groups the agent writes to. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts those log groups; its policy must admit CloudWatch Logs. */
  readonly logKey?: kms.IKey;
}

/** The add-on and its role. */
export interface ContainerInsights {
  readonly addon: eksv1.CfnAddon;
  readonly role: iam.IRole;
}

/**
 * `ContainerInsightsRole`, the `ContainerInsightsPerformanceLogs` and `ContainerInsightsApplicationLogs`
 * log groups and the `ContainerInsights` add-on, all in `scope`.
 */
export function addContainerInsights(scope: Construct, scopeCluster: ScopeCluster, options: ContainerInsightsOptions): ContainerInsights {
  const cluster = scopeCluster.eksCluster;
  // The add-on's agent and Fluent Bit authenticate through EKS Pod Identity (the add-on's own
  // podIdentityAssociations, so no separate association resource); they need CloudWatchAgentServerPolicy.
  const role = new iam.Role(scope, 'ContainerInsightsRole', {
    assumedBy: new iam.SessionTagsPrincipal(new iam.ServicePrincipal('pods.eks.amazonaws.com')),
    description: `CloudWatch agent and Fluent Bit of the ${options.envName} Scope cluster (Container Insights, EKS Pod Identity)`,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('CloudWatchAgentServerPolicy')],
  });
  acknowledgeManagedPolicies(role);
  // The agent creates these log groups with no expiry when they are missing: create them first with a retention.
  const logGroups = ['performance', 'application'].map(kind => new logs.LogGroup(scope, `ContainerInsights${kind[0].toUpperCase()}${kind.slice(1)}Logs`, {
    logGroupName: `/aws/containerinsights/${cluster.clusterName}/${kind}`,
    // The profile's log retention (a year in PRODUCTION, as CT.CLOUDWATCH.PR.2 asks) and the
    // environment key, whose policy admits CloudWatch Logs (ScopeEnvironment's encryptionKey).
    retention: options.logRetention,
    encryptionKey: options.logKey,
    removalPolicy: RemovalPolicy.DESTROY,
  }));
  const addon = new eksv1.CfnAddon(scope, 'ContainerInsights', {
    addonName: OBSERVABILITY_ADDON,
    clusterName: cluster.clusterName,
    resolveConflicts: 'OVERWRITE',
    podIdentityAssociations: [{ serviceAccount: OBSERVABILITY_SERVICE_ACCOUNT, roleArn: role.roleArn }],
  });
  // DaemonSets need nodes, Pod Identity needs its agent.
  addon.node.addDependency(scopeCluster.nodegroup, ...logGroups);
  if (cluster.eksPodIdentityAgent) addon.node.addDependency(cluster.eksPodIdentityAgent);
  return { addon, role };
}
