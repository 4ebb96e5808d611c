/**
 * The cdk-nag (AwsSolutions) findings on ScopeCluster's resources that are by design: each reason
 * as data, acknowledged on exactly the resource concerned.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { DEFAULT_CLUSTER_LOGGING } from './control-plane';
import { acknowledgeKubectlFindings } from './kubectl';
import { ScopeClusterOptions } from './options';
import { acknowledge, acknowledgeManagedPolicies } from '../private/nag';

/** Why each finding is accepted. */
const REASONS = {
  publicEndpoint: 'The Kubernetes API endpoint is public and private by default (endpointAccess): nodes use the private endpoint, operators '
    + 'and CI reach the public one without a VPN or bastion. Every request still needs an IAM identity with an EKS access entry '
    + '(no anonymous access, no aws-auth ConfigMap). Restrict it with endpointAccess: EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...) or PRIVATE.',
  logTypeOff: (type: string) => `Control plane log type ${type} is off (clusterLogging): the api, audit and authenticator logs record who did what; `
    + 'controllerManager and scheduler logs are high-volume operational logs billed per GB ingested. Add them with clusterLogging.',
  convenienceVpc: 'Convenience VPC of a standalone ScopeCluster (no vpc given). ScopeEnvironment turns VPC flow logs on in PRODUCTION; '
    + 'for a production cluster on its own, pass a vpc that has flow logs.',
};

/** What the acknowledgements apply to. */
export interface ClusterNagTargets {
  /** The ScopeCluster: its own VPC is the one whose parent it is. */
  readonly scope: Construct;
  readonly cluster: eks.Cluster;
  readonly nodegroup: eks.Nodegroup;
  readonly vpc: ec2.IVpc;
  readonly options: ScopeClusterOptions;
}

/** Acknowledges the by-design findings on the cluster, its roles, its kubectl provider and its own VPC. */
export function acknowledgeClusterFindings({ scope, cluster, nodegroup, vpc, options }: ClusterNagTargets): void {
  const cfnCluster = cluster.node.defaultChild as CfnResource;
  if ((options.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE) !== eks.EndpointAccess.PRIVATE) {
    acknowledge(cfnCluster, { id: 'AwsSolutions-EKS1', reason: REASONS.publicEndpoint });
  }
  const { API, AUDIT, AUTHENTICATOR, CONTROLLER_MANAGER, SCHEDULER } = eks.ClusterLoggingTypes;
  const logged = new Set<string>(options.clusterLogging ?? DEFAULT_CLUSTER_LOGGING);
  for (const type of [API, AUDIT, AUTHENTICATOR, CONTROLLER_MANAGER, SCHEDULER].filter(t => !logged.has(t))) {
    acknowledge(cfnCluster, { id: `AwsSolutions-EKS2[LogExport::${type}]`, reason: REASONS.logTypeOff(type) });
  }
  acknowledgeManagedPolicies(cluster.role);
  acknowledgeManagedPolicies(nodegroup.role);
  acknowledgeKubectlFindings(cluster);
  if (vpc.node.scope === scope) {
    acknowledge(vpc.node.defaultChild as CfnResource, { id: 'AwsSolutions-VPC7', reason: REASONS.convenienceVpc });
  }
}
