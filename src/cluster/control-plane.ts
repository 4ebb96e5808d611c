/**
 * The control plane of ScopeCluster: its VPC (when none is given), the KMS key of its secrets and
 * the EKS cluster itself. Each function creates its resources in the `scope` it is given (the
 * ScopeCluster), so the construct ids and logical IDs are those of the resources' first release.
 */
import { CfnResource, Lazy, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ClusterSupportType } from './kubernetes-version';
import { ScopeClusterProps } from './options';
import { ClusterSettings } from './settings';
import { chooseAvailabilityZones, newVpc } from '../network/availability-zones';
import { checkNetworkChoice } from '../network/vpc';
import { acknowledgeValidation } from '../private/cfn-validation';
import { denyGrantsExceptForAwsServices } from '../private/kms';
import { PropError } from '../private/validate';

/** Where the worker nodes and the kubectl functions run: private subnets with egress through NAT. */
export const NODE_SUBNETS: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };

/** The control plane log types ScopeCluster turns on by default: who did what. */
export const DEFAULT_CLUSTER_LOGGING: eks.ClusterLoggingTypes[] = [
  eks.ClusterLoggingTypes.API,
  eks.ClusterLoggingTypes.AUDIT,
  eks.ClusterLoggingTypes.AUTHENTICATOR,
];

/** The given VPC, or a new one with 2 AZs and 1 NAT gateway; it must have private subnets for the nodes. */
export function clusterVpc(scope: Construct, props: ScopeClusterProps): ec2.IVpc {
  checkNetworkChoice('ScopeCluster', { vpc: props.vpc, availabilityZones: props.availabilityZones });
  const vpc = props.vpc ?? newClusterVpc(scope, props.availabilityZones);
  if (vpc.privateSubnets.length === 0) {
    throw new PropError('Invalid vpc: ScopeCluster needs private subnets with egress (SubnetType.PRIVATE_WITH_EGRESS) for its worker nodes.');
  }
  return vpc;
}

/** The convenience VPC of a standalone ScopeCluster (`scope/Vpc`). */
function newClusterVpc(scope: Construct, availabilityZones: string[] | undefined): ec2.Vpc {
  const vpc = newVpc(scope, 'Vpc', chooseAvailabilityZones(scope, 2, availabilityZones, 'availabilityZones'), { natGateways: 1 });
  // Nothing in the public subnets needs an auto-assigned public IP (NAT gateways have Elastic
  // IPs, the load balancer its own); the subnet is updated in place.
  for (const subnet of vpc.publicSubnets) (subnet.node.defaultChild as ec2.CfnSubnet).mapPublicIpOnLaunch = false;
  return vpc;
}

/** A new KMS key (`scope/SecretsKey`) that envelope-encrypts the cluster's Kubernetes secrets. */
export function newSecretsKey(scope: Construct, envName: string): kms.IKey {
  const secretsKey = new kms.Key(scope, 'SecretsKey', {
    description: `Envelope encryption of Kubernetes secrets of the ${envName} Scope cluster`,
    enableKeyRotation: true,
    // It only protects this cluster's etcd: once the cluster is gone, nothing needs it.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  // A key policy statement, changed in place; EKS's own grants (kms:GrantIsForAWSResource) stay allowed.
  denyGrantsExceptForAwsServices(secretsKey);
  return secretsKey;
}

/** What the EKS cluster is made of. */
export interface ControlPlaneProps {
  readonly settings: ClusterSettings;
  readonly vpc: ec2.IVpc;
  readonly secretsKey: kms.IKey;
  /** How the kubectl/helm functions run (kubectl.ts). */
  readonly kubectlProviderOptions: eks.KubectlProviderOptions;
  readonly props: ScopeClusterProps;
}

/** The EKS cluster (`scope/Cluster`): access entries, secrets encryption, logs, upgrade policy, no node yet. */
export function newControlPlane(scope: Construct, { settings, vpc, secretsKey, kubectlProviderOptions, props }: ControlPlaneProps): eks.Cluster {
  const cluster = new eks.Cluster(scope, 'Cluster', {
    version: settings.version,
    vpc,
    vpcSubnets: [NODE_SUBNETS],
    // No Auto Mode: one managed node group, added by node-group.ts.
    defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
    defaultCapacity: 0,
    endpointAccess: endpointAccess(props),
    // No hidden admin: without this, CloudFormation's default (true) gives the deploying role a
    // cluster-admin access entry that is not in the template ("Specifies whether or not the cluster
    // creator IAM principal was set as a cluster admin access entry during cluster creation time. The
    // default value is true", https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateAccessConfigRequest.html).
    // The kubectl handler has its own access entry (aws-eks-v2 kubectl provider) and admins come from
    // adminRoles / adminPrincipalArns. Create-only ("Changing this value after the cluster has been
    // created will result in the cluster being replaced", aws-eks-v2 ClusterProps): no release of this
    // library ever left it out, so every cluster has false from its creation on (test/lifecycle checks
    // that no edit flips it).
    bootstrapClusterCreatorAdminPermissions: false,
    secretsEncryptionKey: secretsKey,
    clusterLogging: props.clusterLogging ?? DEFAULT_CLUSTER_LOGGING,
    kubectlProviderOptions,
  });
  // aws-eks-v2 2.257 has no upgrade-policy prop. Without it CloudFormation defaults to EXTENDED
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-cluster-upgradepolicy.html);
  // changing it is "Update requires: No interruption".
  (cluster.node.defaultChild as CfnResource).addPropertyOverride('UpgradePolicy.SupportType', props.supportType ?? ClusterSupportType.STANDARD);
  dropWholeVpcDependency(cluster, vpc);
  // aws-eks-v2 writes EncryptionConfig [{ Provider, Resources: ['secrets'] }]. The CloudFormation
  // validation engine of newer aws-cdk-lib (2.27x) calls Resources deprecated (W9009), while the
  // reference still documents it ("The only supported value is secrets", "Update requires:
  // Replacement": https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-eks-cluster-encryptionconfig.html),
  // so dropping it would replace the cluster: acknowledged, not changed.
  acknowledgeValidation(cluster, { id: 'CloudFormation-Validate::W9009', reason: 'EncryptionConfig.Resources [secrets] is written by aws-eks-v2 and documented by CloudFormation; removing it replaces the cluster.' });
  return cluster;
}

/**
 * `endpointAccess`, or public (restricted to `endpointAllowedCidrs` when given) and private: the
 * private endpoint keeps the nodes' and the kubectl handler's traffic in the VPC
 * (`EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom`, aws-eks-v2: "By default, the endpoint is exposed
 * to all addresses. You can optionally limit the CIDR blocks that can access the public endpoint").
 * EKS: "Communication to the endpoint from addresses outside of the CIDR blocks that you specify is
 * denied. The default value is 0.0.0.0/0", and IPv4 clusters take no IPv6 blocks
 * (https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html, publicAccessCidrs).
 */
function endpointAccess(props: ScopeClusterProps): eks.EndpointAccess {
  const cidrs = props.endpointAllowedCidrs;
  if (cidrs === undefined) return props.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE;
  if (props.endpointAccess) {
    throw new PropError('Invalid endpointAllowedCidrs: not together with endpointAccess; give endpointAccess: EndpointAccess.PRIVATE '
      + 'for no public endpoint, or only endpointAllowedCidrs for a public endpoint limited to them.');
  }
  if (cidrs.length === 0) {
    throw new PropError('Invalid endpointAllowedCidrs []: give at least one IPv4 CIDR block such as 203.0.113.0/24, '
      + 'or leave it out for a public endpoint open to all.');
  }
  for (const cidr of cidrs) {
    if (Token.isUnresolved(cidr)) continue;
    if (!isIpv4Cidr(cidr)) throw new PropError(`Invalid endpointAllowedCidrs '${cidr}': must be an IPv4 CIDR block such as 203.0.113.0/24.`);
    if (cidr.endsWith('/0')) {
      throw new PropError(`Invalid endpointAllowedCidrs '${cidr}': it allows every address; leave endpointAllowedCidrs out for an endpoint open to all.`);
    }
  }
  return eks.EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...cidrs);
}

/** An IPv4 CIDR block: four octets 0-255 and a prefix length 0-32. */
function isIpv4Cidr(cidr: string): boolean {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  return match !== null && match.slice(1, 5).every(o => Number(o) <= 255) && Number(match[5]) <= 32;
}

/**
 * aws-eks-v2 makes the cluster depend on the whole VPC (`this.resource.node.addDependency(this.vpc)`
 * in aws-eks-v2/lib/cluster.js, 2.257.0), so the control plane (~13 min) starts only after the
 * NAT gateways (~2 min). The control plane needs only its subnets and security group, which it
 * references anyway; what needs egress (the kubectl/Helm handler, the nodes) waits for the NAT
 * routes itself. The rendered DependsOn keeps every other dependency.
 */
function dropWholeVpcDependency(cluster: eks.Cluster, vpc: ec2.IVpc): void {
  const cfnCluster = cluster.node.defaultChild as CfnResource;
  const vpcResources = new Set(vpc.node.findAll().filter(CfnResource.isCfnResource));
  cfnCluster.addOverride('DependsOn', Lazy.list({
    produce: () => cfnCluster.obtainDependencies()
      .filter((d): d is CfnResource => CfnResource.isCfnResource(d) && !vpcResources.has(d))
      .map(d => d.logicalId),
  }, { omitEmpty: true }));
}
