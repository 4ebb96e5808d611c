/**
 * The one managed node group of ScopeCluster and its launch template: Amazon Linux 2023 nodes
 * with IMDSv2 in the private subnets, following the control plane's Kubernetes version.
 */
import { CfnResource } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { PREFIX_DELEGATION_MAX_PODS_EXPRESSION } from './capacity';
import { NODE_SUBNETS } from './control-plane';
import { ScopeClusterOptions } from './options';
import { ClusterSettings } from './settings';

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
  const nodegroup = new eks.Nodegroup(scope, 'Nodes', {
    cluster,
    subnets: NODE_SUBNETS,
    instanceTypes: settings.instanceTypes,
    // CapacityType is create-only and EKS's default is ON_DEMAND: stating it would replace every node
    // group created by an earlier release (which left it out), so only Spot is written.
    capacityType: options.capacityType === eks.CapacityType.SPOT ? eks.CapacityType.SPOT : undefined,
    amiType: settings.architecture === ec2.InstanceArchitecture.ARM_64
      ? eks.NodegroupAmiType.AL2023_ARM_64_STANDARD
      : eks.NodegroupAmiType.AL2023_X86_64_STANDARD,
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
    userData: settings.prefixDelegation ? prefixDelegationUserData() : undefined,
  });
  if (!(options.tagNodes ?? false)) {
    // Tags in the launch template data become a new template version and replace every node
    // (the node group uses the latest version); keep them on the template resource only.
    (launchTemplate.node.defaultChild as CfnResource).addPropertyDeletionOverride('LaunchTemplateData.TagSpecifications');
  }
  return launchTemplate;
}

/**
 * Launch template user data for prefix delegation: a nodeadm NodeConfig whose maxPodsExpression
 * gives 110 pods (the managed node group cap) or fewer, so that kubelet's maxPods AND its
 * kubeReserved memory follow prefix delegation ("If the expression is successfully evaluated,
 * kubeReserved will always be calculated on its result", awslabs/amazon-eks-ami nodeadm/doc/api.md;
 * without it nodeadm uses the secondary-IP count, e.g. 17 on a t4g.medium). Managed node groups
 * merge this MIME part with their own NodeConfig (no AMI ID in the launch template).
 */
function prefixDelegationUserData(): ec2.UserData {
  const userData = new ec2.MultipartUserData();
  userData.addPart(ec2.MultipartBody.fromRawBody({
    contentType: 'application/node.eks.aws',
    body: [
      'apiVersion: node.eks.aws/v1alpha1',
      'kind: NodeConfig',
      'spec:',
      '  kubelet:',
      `    maxPodsExpression: "${PREFIX_DELEGATION_MAX_PODS_EXPRESSION}"`,
      '',
    ].join('\n'),
  }));
  return userData;
}
