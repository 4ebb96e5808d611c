/**
 * What ScopeCluster takes: its options (what ScopeEnvironment passes through as `cluster`) and
 * its props (the options plus what it takes from its neighbours).
 */
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ClusterSupportType } from './kubernetes-version';
import { NodeAmiRelease } from './node-ami';
import { FrontendOptions } from '../frontend';

/** How ScopeCluster is built (what ScopeEnvironment passes through as `cluster`). */
export interface ScopeClusterOptions {
  /**
   * Kubernetes version of the control plane, the node group and the kubectl layer. Changing it
   * upgrades the control plane, then the nodes; EKS upgrades one minor version per deploy
   * (README "Upgrading Kubernetes"). 1.34, 1.35 and 1.36 come with a kubectl layer; other
   * versions need `kubectlLayer`.
   * @default KubernetesVersion.of('1.36')
   */
  readonly version?: eks.KubernetesVersion;

  /**
   * kubectl/helm Lambda layer used to apply manifests and Helm charts; must match `version`.
   * @default - the bundled layer for `version` (@aws-cdk/lambda-layer-kubectl-v34, -v35 or -v36)
   */
  readonly kubectlLayer?: lambda.ILayerVersion;

  /**
   * What EKS does when `version` reaches the end of standard support: STANDARD upgrades the
   * control plane to the next version, EXTENDED keeps it for up to 12 months at $0.60 instead of
   * $0.10 per cluster-hour. Sets the cluster's upgrade policy.
   * @default ClusterSupportType.STANDARD (the PRODUCTION profile uses EXTENDED)
   */
  readonly supportType?: ClusterSupportType;

  /**
   * Versions of the cluster's EKS managed add-ons, by add-on name (e.g.
   * `{ 'eks-pod-identity-agent': 'v1.3.10-eksbuild.2' }`). EKS installs the default version of
   * the cluster's Kubernetes version at creation and never changes it when the cluster is
   * upgraded; pin the version for the new Kubernetes version here in the upgrade deploy (README
   * "Upgrading Kubernetes"). Removing a pin leaves the add-on on its current version.
   * @default - EKS's default version at creation, then unchanged
   */
  readonly addonVersions?: { [addonName: string]: string };

  /**
   * AMI release of the nodes: `NodeAmiRelease.latest()` reads the latest EKS optimized Amazon Linux
   * 2023 release of `version` from its public SSM parameter on every deploy, so a deploy after an
   * AMI release (every one to two weeks) rolls each node once, one at a time, drained first;
   * `NodeAmiRelease.pinned('1.36.0-20261120')` changes the nodes only when you change it (README
   * "Node AMI updates").
   * @default NodeAmiRelease.latest()
   */
  readonly amiRelease?: NodeAmiRelease;

  /**
   * Copy the stack's tags (e.g. `scope:environment`) onto the node instances and their volumes
   * through the node launch template. Every tag change then creates a launch template version,
   * which replaces every node; off, the nodes carry only the tags EKS gives them.
   * @default false
   */
  readonly tagNodes?: boolean;

  /**
   * Number of worker nodes: the node group's minimum, maximum and desired size are all set to it.
   * Raise it to add nodes; lower it to remove nodes (the managed node group cordons and drains
   * each node before terminating it). From 1 to 450 (nodes per managed node group).
   * @default 2
   */
  readonly nodeCount?: number;

  /**
   * EC2 instance type of the worker nodes. Graviton (ARM) types get the ARM AMI.
   * @default m7i.large (general purpose, 2 vCPU, 8 GiB, not burstable)
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Several EC2 instance types the node group may launch, all of one architecture (e.g. 4 GiB
   * Graviton types for Spot capacity). Give either this or `instanceType`.
   * @default - [instanceType]
   */
  readonly instanceTypes?: ec2.InstanceType[];

  /**
   * On-demand or Spot nodes. EC2 may reclaim a Spot node at two minutes' notice; the managed
   * node group then drains it and launches a replacement. Give several `instanceTypes` for Spot.
   * @default CapacityType.ON_DEMAND
   */
  readonly capacityType?: eks.CapacityType;

  /**
   * VPC CNI prefix delegation (ENABLE_PREFIX_DELEGATION in the managed `vpc-cni` add-on): each
   * ENI gets /28 prefixes instead of single IPs, so a node takes up to 110 pods instead of
   * ENIs x (IPs per ENI - 1) + 2 (8 on a t3a.small), and the nodes' max pods and kubelet memory
   * reservation follow it. Changing it on a live cluster reconfigures the add-on first and then
   * replaces the node group (a new one comes up before the old one is drained and deleted), as EKS
   * advises for this switch; existing nodes never switch in place.
   * @default false
   */
  readonly prefixDelegation?: boolean;

  /**
   * Size of each node's root volume (encrypted gp3), in GiB.
   * @default 20
   */
  readonly nodeDiskSize?: number;

  /**
   * Detailed (1-minute) CloudWatch monitoring of the nodes. Changing it writes a new launch
   * template version, which the managed node group rolls out node by node (drained first).
   * @default false (ScopeEnvironment: true in PRODUCTION)
   */
  readonly detailedMonitoring?: boolean;

  /**
   * IAM roles that get cluster-admin access (access entry with AmazonEKSClusterAdminPolicy,
   * cluster scope). The first one is used in the `kubeconfigCommand`.
   * @default - none
   */
  readonly adminRoles?: iam.IRole[];

  /**
   * IAM principal ARNs (roles or users) that get cluster-admin access, like `adminRoles`. Without
   * `adminRoles`, the first role ARN here is used in the `kubeconfigCommand`. With neither, synth warns:
   * nobody but the kubectl handler could use the cluster.
   * @default - none
   */
  readonly adminPrincipalArns?: string[];

  /**
   * Who can reach the Kubernetes API endpoint. PRIVATE: only from the VPC (the nodes and the
   * kubectl handler always reach it privately).
   * @default - EndpointAccess.PUBLIC_AND_PRIVATE, or PUBLIC_AND_PRIVATE.onlyFrom(endpointAllowedCidrs)
   */
  readonly endpointAccess?: eks.EndpointAccess;

  /**
   * IPv4 CIDR blocks (e.g. your office or VPN egress, `['203.0.113.0/24']`) that may reach the
   * public API endpoint; everything else reaches it only from inside the VPC (private access stays
   * on for the nodes and the kubectl handler). Not with `endpointAccess`; no /0 block such as
   * 0.0.0.0/0 (leave this out for an endpoint open to all). Changed in place.
   * @default - the public endpoint answers every address (IAM still decides who gets in)
   */
  readonly endpointAllowedCidrs?: string[];

  /**
   * KMS key that envelope-encrypts Kubernetes secrets.
   * @default - a new key with rotation on, scheduled for deletion when the cluster is destroyed
   */
  readonly secretsKey?: kms.IKey;

  /**
   * Control plane log types sent to CloudWatch Logs.
   * @default [API, AUDIT, AUTHENTICATOR]
   */
  readonly clusterLogging?: eks.ClusterLoggingTypes[];

  /**
   * The public entry point: a stack-owned Network Load Balancer bound to the Kubernetes Service
   * `frontend`. Pass `{ enabled: false }` for a cluster without one.
   * @default - enabled, Service `frontend` in namespace `default`, port 80
   */
  readonly frontend?: FrontendOptions;

  /**
   * Deploy the smoke-test app: Deployment `helloworld` (multi-arch image
   * registry.k8s.io/e2e-test-images/agnhost:2.56 pinned by digest, `netexec` answering 200 on `/`,
   * port 80, 1 replica, 16Mi memory request, 64Mi limit) and a ClusterIP Service named after the
   * frontend service in the frontend namespace, so the endpoint answers before the real
   * application exists.
   * @default false
   */
  readonly helloWorld?: boolean;

  /**
   * Create a CloudFormation output with `kubeconfigCommand` (its logical ID is scoped to this
   * construct, so two clusters in a stack do not collide).
   * @default true
   */
  readonly kubeconfigOutput?: boolean;
}

/** Props of ScopeCluster: its options plus what it takes from its neighbours. */
export interface ScopeClusterProps extends ScopeClusterOptions {
  /**
   * VPC to run in; it needs private subnets with egress (nodes) and public subnets (frontend).
   * @default - a new VPC with 2 AZs and 1 NAT gateway
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Availability Zone names of the VPC this construct creates, e.g. `['eu-west-1a', 'eu-west-1b']`;
   * not allowed together with `vpc`. Synthesis never looks AZs up (no AWS credentials needed).
   * @default - the AZs in the app's context (cdk.context.json) from an earlier lookup if present,
   * otherwise the first 2 AZs CloudFormation lists for the account at deploy time (`Fn::GetAZs`)
   */
  readonly availabilityZones?: string[];

  /**
   * Name of the environment, used in descriptions.
   * @default - derived from the stack name
   */
  readonly envName?: string;
}
