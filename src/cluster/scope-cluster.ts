import { Annotations, CfnOutput, CfnResource, Lazy, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { CfnAddon } from 'aws-cdk-lib/aws-eks';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { PREFIX_DELEGATION_MAX_PODS_EXPRESSION } from './capacity';
import { FrontendEndpoint, FrontendOptions } from '../frontend';
import { ClusterSupportType, DEFAULT_KUBERNETES_VERSION, defaultKubernetesVersion, kubectlLayerFor } from './kubernetes-version';
import {
  CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, createPodIdentityRole, validateNamespace, validateServiceAccountName,
} from './pod-identity';
import { IServiceAccountRoleProvider } from '../iam/service-user';
import { chooseAvailabilityZones, newVpc } from '../network/availability-zones';
import { denyGrantsExceptForAwsServices } from '../private/kms';
import { acknowledge, acknowledgeManagedPolicies, acknowledgeProviderFramework, acknowledgeRuntime } from '../private/nag';
import { defaultEnvName, PropError, validateEnvName, validateInteger, validatePattern } from '../private/validate';

/** Nodes per managed node group: the EKS service quota "Nodes per managed node group". */
const MAX_NODE_COUNT = 450;

/** Port the helloWorld smoke-test container listens on. */
const HELLO_WORLD_PORT = 80;

/**
 * The helloWorld image: agnhost, the Kubernetes project's own multi-arch test image (amd64, arm64,
 * ...), from registry.k8s.io (no anonymous pull limits), pinned by tag and digest. Its `netexec`
 * server answers 200 on `/` ("NOW: <time>", rootHandler in kubernetes test/images/agnhost/netexec).
 * Digest of the multi-arch index as pinned by kubernetes-sigs/kueue hack/agnhost/Dockerfile
 * (commit 0645200, https://github.com/kubernetes-sigs/kueue/blob/main/hack/agnhost/Dockerfile).
 */
const HELLO_WORLD_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.56@sha256:352a050380078cb2a1c246357a0dfa2fcf243ee416b92ff28b44a01d1b4b0294';

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
   * rolls the nodes (new launch template version), as the VPC CNI asks; existing nodes never
   * switch in place.
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
   * Who can reach the Kubernetes API endpoint.
   * @default EndpointAccess.PUBLIC_AND_PRIVATE
   */
  readonly endpointAccess?: eks.EndpointAccess;

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

/**
 * The Kubernetes cluster of one Scope environment: an EKS cluster (aws-eks-v2, access entries,
 * secrets encrypted with KMS, control plane logs on), one managed node group of `nodeCount`
 * Amazon Linux 2023 nodes with IMDSv2 in private subnets, the EKS Pod Identity agent, and a
 * frontend endpoint (a load balancer owned by the stack, bound to the `frontend` Service).
 */
export class ScopeCluster extends Construct implements IServiceAccountRoleProvider {
  /** The EKS cluster. */
  public readonly eksCluster: eks.Cluster;
  /**
   * The EKS cluster.
   * @deprecated use `eksCluster` (`scopeCluster.cluster` read as `cluster.cluster`).
   */
  public readonly cluster: eks.Cluster;
  /** The managed node group (min = max = desired = `nodeCount`). */
  public readonly nodegroup: eks.Nodegroup;
  /** The managed `vpc-cni` add-on (Amazon VPC CNI), configured by `prefixDelegation`. */
  public readonly vpcCniAddon: eks.Addon;
  /** The frontend endpoint; `undefined` when `frontend.enabled` is false. */
  public readonly frontend?: FrontendEndpoint;
  /** The VPC the cluster runs in. */
  public readonly vpc: ec2.IVpc;
  /** The KMS key that encrypts Kubernetes secrets. */
  public readonly secretsKey: kms.IKey;
  /** The environment name. */
  public readonly envName: string;
  /** `aws eks update-kubeconfig ...` command that points kubectl at this cluster. */
  public readonly kubeconfigCommand: string;
  /** Whether the helloWorld smoke-test app (and its `frontend` Service) is deployed. */
  public readonly helloWorld: boolean;
  /** Kubernetes version of the control plane and the nodes. */
  public readonly version: eks.KubernetesVersion;

  private readonly serviceAccountRoles = new Map<string, iam.Role>();
  private readonly serviceAccountScope: Construct;

  constructor(scope: Construct, id: string, props: ScopeClusterProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    this.envName = props.envName ?? defaultEnvName(stack.stackName);
    validateEnvName(this.envName);

    const version = props.version ?? defaultKubernetesVersion();
    this.version = version;
    validatePattern('version', version.version, /^1\.\d{2}$/, `must be a Kubernetes minor version such as ${DEFAULT_KUBERNETES_VERSION}`);
    const nodeCount = props.nodeCount ?? 2;
    validateInteger('nodeCount', nodeCount, 1, MAX_NODE_COUNT);
    const nodeDiskSize = props.nodeDiskSize ?? 20;
    validateInteger('nodeDiskSize', nodeDiskSize, 20, 16384);
    if (props.instanceType && props.instanceTypes) {
      throw new PropError('Invalid instanceType/instanceTypes: give one of them (instanceTypes for several types, e.g. for Spot capacity).');
    }
    if (props.instanceTypes?.length === 0) {
      throw new PropError('Invalid instanceTypes []: give at least one EC2 instance type, or leave it out for the default m7i.large.');
    }
    const instanceTypes = props.instanceTypes ?? [props.instanceType ?? new ec2.InstanceType('m7i.large')];
    const architecture = instancesArchitecture(instanceTypes);
    const prefixDelegation = props.prefixDelegation ?? false;

    if (props.vpc && props.availabilityZones) {
      throw new PropError('Invalid availabilityZones: only for the VPC ScopeCluster creates; remove it or remove vpc (your VPC already has its AZs).');
    }
    if (props.vpc === undefined) {
      const vpc = newVpc(this, 'Vpc', chooseAvailabilityZones(this, 2, props.availabilityZones, 'availabilityZones'), { natGateways: 1 });
      // Nothing in the public subnets needs an auto-assigned public IP (NAT gateways have Elastic
      // IPs, the load balancer its own); the subnet is updated in place.
      for (const subnet of vpc.publicSubnets) (subnet.node.defaultChild as ec2.CfnSubnet).mapPublicIpOnLaunch = false;
      this.vpc = vpc;
    } else {
      this.vpc = props.vpc;
    }
    const nodeSubnets: ec2.SubnetSelection = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    if (this.vpc.privateSubnets.length === 0) {
      throw new PropError('Invalid vpc: ScopeCluster needs private subnets with egress (SubnetType.PRIVATE_WITH_EGRESS) for its worker nodes.');
    }

    if (props.secretsKey) {
      this.secretsKey = props.secretsKey;
    } else {
      const secretsKey = new kms.Key(this, 'SecretsKey', {
        description: `Envelope encryption of Kubernetes secrets of the ${this.envName} Scope cluster`,
        enableKeyRotation: true,
        // It only protects this cluster's etcd: once the cluster is gone, nothing needs it.
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // A key policy statement, changed in place; EKS's own grants (kms:GrantIsForAWSResource) stay allowed.
      denyGrantsExceptForAwsServices(secretsKey);
      this.secretsKey = secretsKey;
    }

    // HTTPS only: the Kubernetes API, the EKS and STS APIs, and Helm chart repositories.
    const kubectlSecurityGroup = new ec2.SecurityGroup(this, 'KubectlSecurityGroup', {
      vpc: this.vpc,
      description: `kubectl/helm functions of the ${this.envName} Scope cluster: HTTPS out only`,
      allowAllOutbound: false,
    });
    kubectlSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), 'Kubernetes API, AWS APIs and Helm repositories');

    this.eksCluster = this.cluster = new eks.Cluster(this, 'Cluster', {
      version,
      vpc: this.vpc,
      vpcSubnets: [nodeSubnets],
      // No Auto Mode: one managed node group, added below.
      defaultCapacityType: eks.DefaultCapacityType.NODEGROUP,
      defaultCapacity: 0,
      endpointAccess: props.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE,
      secretsEncryptionKey: this.secretsKey,
      clusterLogging: props.clusterLogging ?? [
        eks.ClusterLoggingTypes.API,
        eks.ClusterLoggingTypes.AUDIT,
        eks.ClusterLoggingTypes.AUTHENTICATOR,
      ],
      kubectlProviderOptions: {
        kubectlLayer: kubectlLayerFor(this, 'KubectlLayer', version, props.kubectlLayer),
        // The kubectl functions run in the node subnets (egress through NAT) with a security group
        // of their own: AWS Control Tower (CT.LAMBDA.PR.3) accepts only a security group of the
        // template, not the cluster security group EKS creates (a GetAtt).
        privateSubnets: this.vpc.selectSubnets(nodeSubnets).subnets,
        securityGroups: [kubectlSecurityGroup],
      },
    });
    // The Kubernetes API (private endpoint, cluster security group) admits the kubectl functions.
    const kubectlIngress = new ec2.CfnSecurityGroupIngress(this, 'KubectlToApi', {
      groupId: this.cluster.clusterSecurityGroupId,
      sourceSecurityGroupId: kubectlSecurityGroup.securityGroupId,
      ipProtocol: 'tcp',
      fromPort: 443,
      toPort: 443,
      description: 'kubectl provider to the Kubernetes API',
    });
    this.cluster.kubectlProvider?.node.addDependency(kubectlIngress);
    // aws-eks-v2 2.257 has no upgrade-policy prop. Without it CloudFormation defaults to EXTENDED
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-eks-cluster-upgradepolicy.html);
    // changing it is "Update requires: No interruption".
    (this.cluster.node.defaultChild as CfnResource).addPropertyOverride('UpgradePolicy.SupportType', props.supportType ?? ClusterSupportType.STANDARD);
    this.dropWholeVpcDependency();

    // The VPC CNI as a managed add-on, so that its configuration is part of the stack.
    // - ResolveConflicts OVERWRITE: the cluster already runs the self-managed aws-node that EKS
    //   installs at creation (and clusters made by earlier releases run it with EKS defaults);
    //   creating the add-on over it with our configuration needs OVERWRITE, "This allows the add-on
    //   to overwrite any existing custom settings" (https://docs.aws.amazon.com/eks/latest/userguide/vpc-add-on-create.html).
    //   PRESERVE is for updates only ("can only be used for upgrading the add-ons but not during
    //   the creation"), and the stack is the one source of this configuration.
    // - PreserveOnDelete: if the add-on ever leaves the template (e.g. a rollback of the release that
    //   adds it to an existing cluster), aws-node keeps running instead of being deleted with it.
    this.vpcCniAddon = new eks.Addon(this, 'VpcCni', {
      cluster: this.cluster,
      addonName: 'vpc-cni',
      preserveOnDelete: true,
      configurationValues: prefixDelegation ? { env: { ENABLE_PREFIX_DELEGATION: 'true' } } : undefined,
    });
    (this.vpcCniAddon.node.defaultChild as CfnResource).addPropertyOverride('ResolveConflicts', 'OVERWRITE');

    // IMDSv2 only, hop limit 1: pods get AWS credentials through Pod Identity, never the node role.
    const launchTemplate = new ec2.LaunchTemplate(this, 'NodeLaunchTemplate', {
      requireImdsv2: true,
      httpPutResponseHopLimit: 1,
      // Left out when off, so templates of existing clusters (and their nodes) stay as they are.
      detailedMonitoring: props.detailedMonitoring ? true : undefined,
      blockDevices: [{
        deviceName: '/dev/xvda',
        volume: ec2.BlockDeviceVolume.ebs(nodeDiskSize, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3 }),
      }],
      userData: prefixDelegation ? prefixDelegationUserData() : undefined,
    });
    this.nodegroup = new eks.Nodegroup(this, 'Nodes', {
      cluster: this.cluster,
      subnets: nodeSubnets,
      instanceTypes,
      // CapacityType is create-only and EKS's default is ON_DEMAND: stating it would replace every node
      // group created by an earlier release (which left it out), so only Spot is written.
      capacityType: props.capacityType === eks.CapacityType.SPOT ? eks.CapacityType.SPOT : undefined,
      amiType: architecture === ec2.InstanceArchitecture.ARM_64
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
    // The node group follows the control plane: aws-eks-v2 leaves `Version` unset, and then
    // CloudFormation never upgrades the nodes. Allowed with a launch template that names no AMI
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-eks-nodegroup.html#cfn-eks-nodegroup-version);
    // the node group depends on the cluster, so CloudFormation upgrades the control plane first.
    (this.nodegroup.node.defaultChild as CfnResource).addPropertyOverride('Version', version.version);
    if (!(props.tagNodes ?? false)) {
      // Tags in the launch template data become a new template version and replace every node
      // (the node group uses the latest version); keep them on the template resource only.
      (launchTemplate.node.defaultChild as CfnResource).addPropertyDeletionOverride('LaunchTemplateData.TagSpecifications');
    }
    // Nodes need egress to join the cluster and pull images: a node group created before the NAT
    // routes fails with NodeCreationFailure. (The cluster itself no longer waits for them.)
    // (On the node group resource only: its IAM role need not wait.)
    const cfnNodegroup = this.nodegroup.node.defaultChild as CfnResource;
    cfnNodegroup.node.addDependency(this.vpc.selectSubnets(nodeSubnets).internetConnectivityEstablished);
    // Nodes start with the add-on's CNI configuration, so their max pods match it; on an update the
    // add-on is reconfigured before the nodes roll.
    cfnNodegroup.node.addDependency(this.vpcCniAddon);
    // The Pod Identity agent is a DaemonSet add-on: created before any node, it is ACTIVE with no
    // pods and its pods start with the nodes (terraform-aws-eks creates it `before_compute`), so it
    // no longer waits for the node group.
    this.serviceAccountScope = new Construct(this, 'ServiceAccounts');

    validateAdmins(props.adminRoles ?? [], props.adminPrincipalArns ?? []);
    (props.adminRoles ?? []).forEach((role, i) => this.cluster.grantClusterAdmin(`AdminRole${i}`, role.roleArn));
    (props.adminPrincipalArns ?? []).forEach((arn, i) => this.cluster.grantClusterAdmin(`AdminPrincipal${i}`, arn));

    // The role kubectl should assume: the first admin role (or the first role among the ARNs).
    const adminRoleArn = props.adminRoles?.[0]?.roleArn ?? props.adminPrincipalArns?.find(arn => /:role\//.test(arn));
    this.kubeconfigCommand = `aws eks update-kubeconfig --name ${this.cluster.clusterName} --region ${stack.region}`
      + (adminRoleArn ? ` --role-arn ${adminRoleArn}` : '');
    if (!props.adminRoles?.length && !props.adminPrincipalArns?.length) {
      Annotations.of(this).addWarningV2('cdk-scope-environment:cluster-no-admin',
        'No IAM principal has cluster-admin access: the only access entry is the kubectl handler\'s role, so kubectl and '
        + 'the kubeconfig command are refused. Set adminRoles (ScopeEnvironment: cluster.adminRoles) to the role you operate with, '
        + 'or adminPrincipalArns for roles and users outside this app.');
    }
    if (props.kubeconfigOutput ?? true) {
      new CfnOutput(this, 'KubeconfigCommand', {
        value: this.kubeconfigCommand,
        description: `Points kubectl at the ${this.envName} Scope cluster`,
      });
    }

    const frontendOptions = props.frontend ?? {};
    const namespace = frontendOptions.namespace ?? 'default';
    if (frontendOptions.enabled ?? true) {
      this.frontend = new FrontendEndpoint(this, 'Frontend', { ...frontendOptions, cluster: this.cluster });
      // The controller runs on the nodes, but its Helm release needs no CloudFormation edge to
      // them: `helm --wait` waits for its pods, so it installs while the nodes start. The binding
      // waits for the nodes so that, on delete, the nodes (and the controller that removes the
      // binding's finalizer) outlive it.
      this.frontend.binding.node.addDependency(this.nodegroup.node.defaultChild as CfnResource);
      this.serviceAccountRoles.set(`${CONTROLLER_NAMESPACE}/${CONTROLLER_SERVICE_ACCOUNT}`, this.frontend.controllerRole);
    }

    this.helloWorld = props.helloWorld ?? false;
    if (this.helloWorld) {
      const servicePort = frontendOptions.servicePort ?? 80;
      const targetPort = frontendOptions.targetPort ?? servicePort;
      if (this.frontend && targetPort !== HELLO_WORLD_PORT) {
        throw new PropError(`Invalid frontend.targetPort ${targetPort}: helloWorld pods listen on port ${HELLO_WORLD_PORT}; set frontend.targetPort to ${HELLO_WORLD_PORT} or turn helloWorld off.`);
      }
      this.addHelloWorld(namespace, frontendOptions.serviceName ?? 'frontend', servicePort);
    }
    this.pinAddonVersions(props.addonVersions ?? {});
    this.acknowledgeNagFindings(props);
  }

  /**
   * The IAM role that pods running as service account `namespace/name` assume through EKS Pod
   * Identity (keyless AWS access for services in the cluster). Grant it what the service needs.
   * Calling it again for the same service account returns the same role.
   */
  public serviceAccountRole(namespace: string, name: string): iam.IRole {
    validateNamespace('namespace', namespace);
    validateServiceAccountName('name', name);
    const key = `${namespace}/${name}`;
    let role = this.serviceAccountRoles.get(key);
    if (!role) {
      const nsScope = (this.serviceAccountScope.node.tryFindChild(namespace) as Construct | undefined)
        ?? new Construct(this.serviceAccountScope, namespace);
      role = createPodIdentityRole(new Construct(nsScope, name), this.cluster, namespace, name).role;
      this.serviceAccountRoles.set(key, role);
    }
    return role;
  }

  /**
   * Sets `AddonVersion` on the cluster's managed add-ons named in `versions`. Without it an add-on
   * keeps the version EKS picked at creation through every cluster upgrade: CloudFormation only
   * calls UpdateAddon when a property changes (the same is reported for Terraform and eksctl,
   * e.g. https://github.com/terraform-aws-modules/terraform-aws-eks/issues/3448).
   */
  private pinAddonVersions(versions: { [addonName: string]: string }): void {
    const addons = this.node.findAll().filter((c): c is CfnAddon => c instanceof CfnAddon);
    for (const [name, addonVersion] of Object.entries(versions)) {
      validatePattern(`addonVersions['${name}']`, addonVersion, /^v\d+\.\d+\.\d+(-eksbuild\.\d+)?$/,
        `must be an EKS add-on version such as v1.3.10-eksbuild.2 (aws eks describe-addon-versions --addon-name ${name} --kubernetes-version <version>)`);
      const matching = addons.filter(a => a.addonName === name);
      if (matching.length === 0) {
        throw new PropError(`Invalid addonVersions: '${name}' is not a managed add-on of this cluster; its add-ons are ${addons.map(a => `'${a.addonName}'`).join(', ') || 'none'}.`);
      }
      matching.forEach(a => a.addonVersion = addonVersion);
    }
  }

  /**
   * aws-eks-v2 makes the cluster depend on the whole VPC (`this.resource.node.addDependency(this.vpc)`
   * in aws-eks-v2/lib/cluster.js, 2.257.0), so the control plane (~13 min) starts only after the
   * NAT gateways (~2 min). The control plane needs only its subnets and security group, which it
   * references anyway; what needs egress (the kubectl/Helm handler, the nodes) waits for the NAT
   * routes itself. The rendered DependsOn keeps every other dependency.
   */
  private dropWholeVpcDependency(): void {
    const cfnCluster = this.cluster.node.defaultChild as CfnResource;
    const vpcResources = new Set(this.vpc.node.findAll().filter(CfnResource.isCfnResource));
    cfnCluster.addOverride('DependsOn', Lazy.list({
      produce: () => cfnCluster.obtainDependencies()
        .filter((d): d is CfnResource => CfnResource.isCfnResource(d) && !vpcResources.has(d))
        .map(d => d.logicalId),
    }, { omitEmpty: true }));
  }

  /** cdk-nag (AwsSolutions) findings that are by design, each with its reason, on the resource concerned. */
  private acknowledgeNagFindings(props: ScopeClusterProps): void {
    const cfnCluster = this.cluster.node.defaultChild as CfnResource;
    if ((props.endpointAccess ?? eks.EndpointAccess.PUBLIC_AND_PRIVATE) !== eks.EndpointAccess.PRIVATE) {
      acknowledge(cfnCluster, {
        id: 'AwsSolutions-EKS1',
        reason: 'The Kubernetes API endpoint is public and private by default (endpointAccess): nodes use the private endpoint, operators '
          + 'and CI reach the public one without a VPN or bastion. Every request still needs an IAM identity with an EKS access entry '
          + '(no anonymous access, no aws-auth ConfigMap). Restrict it with endpointAccess: EndpointAccess.PUBLIC_AND_PRIVATE.onlyFrom(...) or PRIVATE.',
      });
    }
    const { API, AUDIT, AUTHENTICATOR, CONTROLLER_MANAGER, SCHEDULER } = eks.ClusterLoggingTypes;
    const logged = new Set<string>(props.clusterLogging ?? [API, AUDIT, AUTHENTICATOR]);
    for (const type of [API, AUDIT, AUTHENTICATOR, CONTROLLER_MANAGER, SCHEDULER].filter(t => !logged.has(t))) {
      acknowledge(cfnCluster, {
        id: `AwsSolutions-EKS2[LogExport::${type}]`,
        reason: `Control plane log type ${type} is off (clusterLogging): the api, audit and authenticator logs record who did what; `
          + 'controllerManager and scheduler logs are high-volume operational logs billed per GB ingested. Add them with clusterLogging.',
      });
    }
    acknowledgeManagedPolicies(this.cluster.role);
    acknowledgeManagedPolicies(this.nodegroup.role);

    const kubectl = this.cluster.kubectlProvider;
    if (kubectl instanceof eks.KubectlProvider) {
      const handler = kubectl.node.tryFindChild('Handler') as lambda.Function | undefined;
      acknowledgeManagedPolicies(handler?.role);
      acknowledgeRuntime(handler, 'kubectl/helm handler of aws-eks-v2: aws-cdk-lib pins its Python runtime to the one the kubectl layer '
        + 'is built and tested for; it runs only during deployments.');
      if (handler) acknowledgeProviderFramework(kubectl.node.tryFindChild('Provider'), handler, 'the aws-eks-v2 kubectl handler');
    }

    if (this.vpc.node.scope === this) {
      acknowledge(this.vpc.node.defaultChild as CfnResource, {
        id: 'AwsSolutions-VPC7',
        reason: 'Convenience VPC of a standalone ScopeCluster (no vpc given). ScopeEnvironment turns VPC flow logs on in PRODUCTION; '
          + 'for a production cluster on its own, pass a vpc that has flow logs.',
      });
    }
  }

  private addHelloWorld(namespace: string, serviceName: string, servicePort: number): void {
    validateNamespace('frontend.namespace', namespace);
    validateServiceAccountName('frontend.serviceName', serviceName);
    validateInteger('frontend.servicePort', servicePort, 1, 65535);
    const labels = { app: 'helloworld' };
    const manifest = new eks.KubernetesManifest(this, 'HelloWorld', {
      cluster: this.cluster,
      manifest: [
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'helloworld', namespace, labels },
          spec: {
            replicas: 1,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                containers: [{
                  name: 'helloworld',
                  image: HELLO_WORLD_IMAGE,
                  args: ['netexec', `--http-port=${HELLO_WORLD_PORT}`, '--udp-port=-1'],
                  ports: [{ containerPort: HELLO_WORLD_PORT }],
                  resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
                  readinessProbe: { httpGet: { path: '/', port: HELLO_WORLD_PORT }, periodSeconds: 5 },
                  livenessProbe: { httpGet: { path: '/', port: HELLO_WORLD_PORT }, initialDelaySeconds: 5, periodSeconds: 10 },
                }],
              },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: serviceName, namespace, labels },
          spec: { type: 'ClusterIP', selector: labels, ports: [{ port: servicePort, targetPort: HELLO_WORLD_PORT, protocol: 'TCP' }] },
        },
      ],
    });
    if (this.frontend) {
      // The namespace (when not `default`) comes with the frontend.
      manifest.node.addDependency(this.frontend);
    } else if (namespace !== 'default') {
      manifest.node.addDependency(new eks.KubernetesManifest(this, 'HelloWorldNamespace', {
        cluster: this.cluster,
        manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }],
        overwrite: true,
        removalPolicy: RemovalPolicy.RETAIN,
      }));
    }
  }
}

/** Admin principals must be IAM role or user ARNs, each at most once (EKS allows one access entry per principal). */
function validateAdmins(roles: iam.IRole[], principalArns: string[]): void {
  principalArns.forEach((arn, i) => validatePattern(`adminPrincipalArns[${i}]`, arn, /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[\w+=,.@\/-]{1,512}$/,
    'must be the ARN of an IAM role or user, arn:aws:iam::<12-digit account>:role/<name> or :user/<name>'));
  const seen = new Set<string>();
  for (const arn of [...roles.map(r => r.roleArn), ...principalArns].filter(a => !Token.isUnresolved(a))) {
    if (seen.has(arn)) throw new PropError(`Invalid adminRoles/adminPrincipalArns: ${arn} is given twice; EKS allows one access entry per principal.`);
    seen.add(arn);
  }
}

/** The one architecture of `instanceTypes`, or an Error naming the prop when a type does not parse or they differ. */
function instancesArchitecture(instanceTypes: ec2.InstanceType[]): ec2.InstanceArchitecture {
  const architectures = instanceTypes.map(instanceType => {
    try {
      return instanceType.architecture;
    } catch {
      throw new PropError(`Invalid instanceType '${instanceType}': must be an EC2 instance type such as m7i.large or m7g.large (family, generation, size).`);
    }
  });
  if (new Set(architectures).size > 1) {
    throw new PropError(`Invalid instanceTypes [${instanceTypes.join(', ')}]: all must have one architecture (one AMI per node group), `
      + 'e.g. only Graviton (arm64) types such as t4g.medium, m7g.medium or only x86_64 types.');
  }
  return architectures[0];
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
