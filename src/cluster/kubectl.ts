/**
 * The kubectl/helm functions of aws-eks-v2 (its KubectlProvider): where they run, how they reach
 * the Kubernetes API, and the cdk-nag findings on them that are by design.
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { NODE_SUBNETS } from './control-plane';
import { kubectlLayerFor } from './kubernetes-version';
import { LogGroupSettings, settleLogGroups, stateFunctionLogGroup } from '../private/log-groups';
import { acknowledgeManagedPolicies, acknowledgeProviderFramework, acknowledgeRuntime } from '../private/nag';
import { TLS_PORT } from '../private/ports';

/** The kubectl provider options of the cluster and the security group of its functions. */
export interface KubectlSettings {
  readonly options: eks.KubectlProviderOptions;
  readonly securityGroup: ec2.SecurityGroup;
}

/**
 * Creates, in `scope`, the security group of the kubectl functions (`KubectlSecurityGroup`) and
 * their kubectl layer (`KubectlLayer`, unless one is given), in that order.
 */
export function kubectlSettings(scope: Construct, vpc: ec2.IVpc, envName: string, version: eks.KubernetesVersion,
  kubectlLayer: lambda.ILayerVersion | undefined): KubectlSettings {
  // HTTPS only: the Kubernetes API, the EKS and STS APIs, and Helm chart repositories.
  const securityGroup = new ec2.SecurityGroup(scope, 'KubectlSecurityGroup', {
    vpc,
    description: `kubectl/helm functions of the ${envName} Scope cluster: HTTPS out only`,
    allowAllOutbound: false,
  });
  securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(TLS_PORT), 'Kubernetes API, AWS APIs and Helm repositories');
  const options: eks.KubectlProviderOptions = {
    kubectlLayer: kubectlLayerFor(scope, 'KubectlLayer', version, kubectlLayer),
    // The kubectl functions run in the node subnets (egress through NAT) with a security group
    // of their own: AWS Control Tower (CT.LAMBDA.PR.3) accepts only a security group of the
    // template, not the cluster security group EKS creates (a GetAtt).
    privateSubnets: vpc.selectSubnets(NODE_SUBNETS).subnets,
    securityGroups: [securityGroup],
  };
  return { options, securityGroup };
}

/** The Kubernetes API (private endpoint, cluster security group) admits the kubectl functions (`scope/KubectlToApi`). */
export function admitKubectlToApi(scope: Construct, cluster: eks.Cluster, securityGroup: ec2.ISecurityGroup): void {
  const kubectlIngress = new ec2.CfnSecurityGroupIngress(scope, 'KubectlToApi', {
    groupId: cluster.clusterSecurityGroupId,
    sourceSecurityGroupId: securityGroup.securityGroupId,
    ipProtocol: 'tcp',
    fromPort: TLS_PORT,
    toPort: TLS_PORT,
    description: 'kubectl provider to the Kubernetes API',
  });
  cluster.kubectlProvider?.node.addDependency(kubectlIngress);
}

/**
 * cdk-nag findings on the kubectl provider's handler and its provider framework. aws-eks-v2 keeps
 * them as private children of its KubectlProvider: the handler is its one Lambda function, the
 * framework its one custom resource Provider (kubectl-provider.js, aws-cdk-lib 2.257.0).
 */
export function acknowledgeKubectlFindings(cluster: eks.Cluster): void {
  const kubectl = cluster.kubectlProvider;
  if (!(kubectl instanceof eks.KubectlProvider)) return;
  const handler = kubectl.node.children.find((c): c is lambda.Function => c instanceof lambda.Function);
  acknowledgeManagedPolicies(handler?.role);
  acknowledgeRuntime(handler, 'kubectl/helm handler of aws-eks-v2: aws-cdk-lib pins its Python runtime to the one the kubectl layer '
    + 'is built and tested for; it runs only during deployments.');
  const provider = kubectl.node.children.find((c): c is cr.Provider => c instanceof cr.Provider);
  if (handler) acknowledgeProviderFramework(provider, handler, 'the aws-eks-v2 kubectl handler');
}

/**
 * The kubectl handler and its provider framework (aws-eks-v2's KubectlProvider, which takes no log
 * group option) each log into a log group the template states, with `settings`, whatever feature
 * flag the app sets: stated here when the app does not set `@aws-cdk/aws-lambda:useCdkManagedLogGroup`,
 * settled by type at synth time when it does (that flag's groups are retained, 731 days, no key).
 */
export function stateKubectlLogGroups(cluster: eks.Cluster, settings: LogGroupSettings): void {
  const provider = cluster.kubectlProvider;
  if (!provider) return;
  provider.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function).forEach(fn => stateFunctionLogGroup(fn, settings));
  settleLogGroups(provider, settings);
}
