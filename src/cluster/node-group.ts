/**
 * The one managed node group of ScopeCluster and its launch template: Amazon Linux 2023 nodes
 * with IMDSv2 in the private subnets, following the control plane's Kubernetes version.
 */
import * as crypto from 'crypto';
import { CfnResource, Names, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { maxPodsPerNode, nodeGroupMaxPods, PREFIX_DELEGATION_MAX_PODS_EXPRESSION } from './capacity';
import { NODE_SUBNETS } from './control-plane';
import { instanceTypeData } from './instance-types';
import { NodeAmiRelease, nodeReleaseVersion } from './node-ami';
import { ScopeClusterOptions } from './options';
import { ClusterSettings } from './settings';
import { warn, WARNINGS } from '../private/warnings';

/** What the node group is made of. */
export interface NodeGroupProps {
  readonly cluster: eks.Cluster;
  readonly vpc: ec2.IVpc;
  /** The nodes start after it, with its CNI configuration. */
  readonly vpcCniAddon: eks.Addon;
  readonly settings: ClusterSettings;
  readonly options: ScopeClusterOptions;
}

/** Creates, in `scope`, the launch template (`NodeLaunchTemplate`) and the managed node group (`Nodes`). */
export function newNodeGroup(scope: Construct, { cluster, vpc, vpcCniAddon, settings, options }: NodeGroupProps): eks.Nodegroup {
  const launchTemplate = nodeLaunchTemplate(scope, settings, options);
  const { nodeCount } = settings;
  // CapacityType is create-only and EKS's default is ON_DEMAND: stating it would replace every node
  // group created by an earlier release (which left it out), so only Spot is written.
  const capacityType = options.capacityType === eks.CapacityType.SPOT ? eks.CapacityType.SPOT : undefined;
  const amiType = settings.architecture === ec2.InstanceArchitecture.ARM_64
    ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD
    : eks.NodegroupAmiType.AL2023_X86_64_STANDARD;
  const nodegroup = new eks.Nodegroup(scope, 'Nodes', {
    cluster,
    subnets: NODE_SUBNETS,
    instanceTypes: settings.instanceTypes,
    capacityType,
    amiType,
    nodegroupName: prefixDelegationNodegroupName(scope, vpc, settings, [capacityType, amiType]),
    launchTemplateSpec: { id: launchTemplate.launchTemplateId!, version: launchTemplate.latestVersionNumber },
    minSize: nodeCount,
    maxSize: nodeCount,
    desiredSize: nodeCount,
    // Rolling updates (launch template, AMI, Kubernetes version) replace one node at a time,
    // draining it with PodDisruptionBudgets respected (EKS "Managed node update behavior").
    maxUnavailable: 1,
  });
  const cfnNodegroup = nodegroup.node.defaultChild as CfnResource;
  // The node group follows the control plane: aws-eks-v2 leaves `Version` unset, and then
  // CloudFormation never upgrades the nodes. Allowed with a launch template that names no AMI
  // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-nodegroup.html#cfn-eks-nodegroup-version);
  // the node group depends on the cluster, so CloudFormation upgrades the control plane first.
  cfnNodegroup.addPropertyOverride('Version', settings.version.version);
  // Without ReleaseVersion the nodes keep their AMI until the Kubernetes version or the launch
  // template changes: no security patch ever arrives. The release changes in place: a rolling
  // update, one node at a time ("Update requires: No interruption",
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-nodegroup.html#cfn-eks-nodegroup-releaseversion).
  cfnNodegroup.addPropertyOverride('ReleaseVersion',
    nodeReleaseVersion(scope, options.amiRelease ?? NodeAmiRelease.latest(), settings.version.version, settings.architecture));
  // Nodes need egress to join the cluster and pull images: a node group created before the NAT
  // routes fails with NodeCreationFailure. (The cluster itself no longer waits for them.)
  // (On the node group resource only: its IAM role need not wait.)
  cfnNodegroup.node.addDependency(vpc.selectSubnets(NODE_SUBNETS).internetConnectivityEstablished);
  // Nodes start with the add-on's CNI configuration, so their max pods match it; on an update the
  // add-on is reconfigured before the nodes roll.
  cfnNodegroup.node.addDependency(vpcCniAddon);
  // The Pod Identity agent is a DaemonSet add-on: created before any node, it is ACTIVE with no
  // pods and its pods start with the nodes (terraform-aws-eks creates it `before_compute`), so it
  // no longer waits for the node group.
  return nodegroup;
}

/** IMDSv2 only, hop limit 1: pods get AWS credentials through Pod Identity, never the node role. */
function nodeLaunchTemplate(scope: Construct, settings: ClusterSettings, options: ScopeClusterOptions): ec2.LaunchTemplate {
  const launchTemplate = new ec2.LaunchTemplate(scope, 'NodeLaunchTemplate', {
    requireImdsv2: true,
    httpPutResponseHopLimit: 1,
    // Left out when off, so templates of existing clusters (and their nodes) stay as they are.
    detailedMonitoring: options.detailedMonitoring ? true : undefined,
    blockDevices: [{
      deviceName: '/dev/xvda',
      volume: ec2.BlockDeviceVolume.ebs(settings.nodeDiskSize, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
    }],
    userData: maxPodsUserData(scope, settings),
  });
  if (!(options.tagNodes ?? false)) {
    // Tags in the launch template data become a new template version and replace every node
    // (the node group uses the latest version); keep them on the template resource only.
    (launchTemplate.node.defaultChild as CfnResource).addPropertyDeletionOverride('LaunchTemplateData.TagSpecifications');
  }
  return launchTemplate;
}

/**
 * Launch template user data that gives every node one max pods value and the memory reservation
 * that goes with it. Managed node groups write their own kubelet `maxPods` (the smallest value of
 * the group's instance types, capped at 110 / 250), which wins over nodeadm's `maxPodsExpression`,
 * while nodeadm computes kubeReserved memory from the expression's result ("Values set for
 * `maxPods` in the `kubelet` config will take precedence over the result of the
 * `maxPodsExpression`. `kubeReserved` will be calculated using the result of the expression",
 * awslabs/amazon-eks-ami nodeadm/doc/examples.md; precedence: "Managed node group enforcement ...
 * takes precedence over any other maxPods configuration, including maxPodsExpression",
 * https://docs.aws.amazon.com/eks/latest/userguide/choosing-instance-type.html#max-pods-precedence).
 * So the expression here is the very value the node group writes, computed at synth time from the
 * instance type table: kubeReserved memory = 11 MiB x it + 255 MiB then matches the pods the node
 * takes. Written only where nodeadm's own value would differ from the node group's: prefix
 * delegation on (nodeadm counts secondary IPs) or several types with different values. For a type
 * the table does not list, prefix delegation falls back to a per-type expression (capped at 110) and
 * synth warns. Managed node groups merge this MIME part with their own NodeConfig.
 */
function maxPodsUserData(scope: Construct, settings: ClusterSettings): ec2.UserData | undefined {
  const types = settings.instanceTypes.map(String);
  const groupMaxPods = nodeGroupMaxPods(types, settings.prefixDelegation);
  let expression: string | undefined;
  if (groupMaxPods !== undefined) {
    const perType = types.map(t => maxPodsPerNode(instanceTypeData(t)!, false));
    const nodeadmAgrees = !settings.prefixDelegation && perType.every(p => p === groupMaxPods);
    expression = nodeadmAgrees ? undefined : String(groupMaxPods);
  } else if (settings.prefixDelegation) {
    warn(scope, WARNINGS.clusterMaxPodsUnknown,
      `instanceTypes [${types.join(', ')}]: an instance type is not in the library's instance type table, so the max pods the managed `
      + 'node group writes are not known at synth time; nodes get a per-type prefix-delegation expression capped at 110, and on '
      + 'types with more than 30 vCPUs (node group value 250) their kubeReserved memory is sized for 110 pods.');
    expression = PREFIX_DELEGATION_MAX_PODS_EXPRESSION;
  }
  if (expression === undefined) return undefined;
  const userData = new ec2.MultipartUserData();
  userData.addPart(ec2.MultipartBody.fromRawBody({
    contentType: 'application/node.eks.aws',
    body: [
      'apiVersion: node.eks.aws/v1alpha1',
      'kind: NodeConfig',
      'spec:',
      '  kubelet:',
      `    maxPodsExpression: "${expression}"`,
      '',
    ].join('\n'),
  }));
  return userData;
}

/**
 * With prefix delegation, the node group's name (create-only): switching prefix delegation on or
 * off then replaces the node group, so CloudFormation creates a new one before it deletes (drains)
 * the old one, as EKS advises: "When transitioning from assigning IP addresses to assigning IP
 * prefixes, we recommend that you create new node groups to increase the number of available IP
 * addresses, rather than doing a rolling replacement of existing nodes. Running Pods on a node
 * that has both IP addresses and prefixes assigned can lead to inconsistency in the advertised IP
 * address capacity" (https://docs.aws.amazon.com/eks/latest/userguide/cni-increase-ip-addresses.html,
 * Considerations). The name ends in a hash of the node group's other create-only inputs, so that
 * every other replacement (instance types, capacity type, AMI type, subnets) gets a new name too
 * (CloudFormation cannot replace a resource under the same custom name). Without prefix
 * delegation CloudFormation names the group.
 */
function prefixDelegationNodegroupName(scope: Construct, vpc: ec2.IVpc, settings: ClusterSettings, createOnly: unknown[]): string | undefined {
  if (!settings.prefixDelegation) return undefined;
  const subnets = Stack.of(scope).resolve(vpc.selectSubnets(NODE_SUBNETS).subnetIds);
  const inputs = JSON.stringify([settings.instanceTypes.map(String), ...createOnly, subnets]);
  const hash = crypto.createHash('sha256').update(inputs).digest('hex').slice(0, 8);
  // At most 63 characters (EKS node group names).
  return `${Names.uniqueResourceName(scope, { maxLength: 44 })}-pd-${hash}`;
}
