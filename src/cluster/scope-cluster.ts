import { CfnResource, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantClusterAccess } from './access';
import { newVpcCniAddon, pinAddonVersions } from './addons';
import { clusterVpc, newControlPlane, newSecretsKey } from './control-plane';
import { addHelloWorld } from './hello-world';
import { admitKubectlToApi, kubectlSettings } from './kubectl';
import { acknowledgeClusterFindings } from './nag';
import { newNodeGroup } from './node-group';
import { ScopeClusterProps } from './options';
import { CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, ServiceAccountRoles } from './pod-identity';
import { resolveClusterSettings } from './settings';
import { FrontendEndpoint, FrontendOptions } from '../frontend';
import { IServiceAccountRoleProvider } from '../iam/service-user';

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

  private readonly serviceAccountRoles: ServiceAccountRoles;

  // Only runs the steps, in the order their resources were first created (the template's order).
  constructor(scope: Construct, id: string, props: ScopeClusterProps = {}) {
    super(scope, id);
    const settings = resolveClusterSettings(Stack.of(this).stackName, props);
    this.envName = settings.envName;
    this.version = settings.version;
    this.vpc = clusterVpc(this, props);
    this.secretsKey = props.secretsKey ?? newSecretsKey(this, this.envName);
    const kubectl = kubectlSettings(this, this.vpc, this.envName, this.version, props.kubectlLayer);
    this.eksCluster = this.cluster = newControlPlane(this, {
      settings, vpc: this.vpc, secretsKey: this.secretsKey, kubectlProviderOptions: kubectl.options, props,
    });
    admitKubectlToApi(this, this.eksCluster, kubectl.securityGroup);
    this.vpcCniAddon = newVpcCniAddon(this, this.eksCluster, settings.prefixDelegation);
    this.nodegroup = newNodeGroup(this, { cluster: this.eksCluster, vpc: this.vpc, vpcCniAddon: this.vpcCniAddon, settings, options: props });
    this.serviceAccountRoles = new ServiceAccountRoles(new Construct(this, 'ServiceAccounts'), this.eksCluster);
    this.kubeconfigCommand = grantClusterAccess(this, this.eksCluster, this.envName, props);
    this.frontend = this.addFrontend(props.frontend ?? {});
    this.helloWorld = props.helloWorld ?? false;
    if (this.helloWorld) addHelloWorld(this, this.eksCluster, this.frontend, props.frontend ?? {});
    pinAddonVersions(this, this.eksCluster, props.addonVersions ?? {});
    acknowledgeClusterFindings({ scope: this, cluster: this.eksCluster, nodegroup: this.nodegroup, vpc: this.vpc, options: props });
  }

  /**
   * The IAM role that pods running as service account `namespace/name` assume through EKS Pod
   * Identity (keyless AWS access for services in the cluster). Grant it what the service needs.
   * Calling it again for the same service account returns the same role.
   */
  public serviceAccountRole(namespace: string, name: string): iam.IRole {
    return this.serviceAccountRoles.roleFor(namespace, name);
  }

  /** The frontend endpoint (`Frontend`), unless `frontend.enabled` is false. */
  private addFrontend(options: FrontendOptions): FrontendEndpoint | undefined {
    if (!(options.enabled ?? true)) return undefined;
    const frontend = new FrontendEndpoint(this, 'Frontend', { ...options, cluster: this.eksCluster });
    // The controller's Helm release waits for the node group: without this edge it starts as soon
    // as the control plane exists and a slow (Spot) node launch runs out `helm --wait`, failing the
    // first deploy. The binding waits for the nodes so that, on delete, the nodes (and the
    // controller that removes the binding's finalizer) outlive it.
    const nodes = this.nodegroup.node.defaultChild as CfnResource;
    frontend.controller.node.addDependency(nodes);
    frontend.binding.node.addDependency(nodes);
    this.serviceAccountRoles.add(CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, frontend.controllerRole);
    return frontend;
  }
}
