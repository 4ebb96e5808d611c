/**
 * The AWS Load Balancer Controller of the frontend endpoint: its Helm release and its Pod Identity
 * role, created with one call (internal: not exported from the package). Model: aws-cdk-lib's
 * `aws-eks` AlbController, which a cluster creates with one call; this one serves only
 * TargetGroupBindings, so its role has a small fraction of the controller's full policy.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, createPodIdentityRole } from '../cluster/pod-identity';
import { acknowledgeGrant } from '../private/grant-nag';
import { dependOnPodIdentity } from '../private/pod-identity-ready';
import { warn, WARNINGS } from '../private/warnings';

/**
 * Default version of the AWS Load Balancer Controller Helm chart (controller v3.5.0). Since v3 the
 * chart version equals the controller version (helm/aws-load-balancer-controller/Chart.yaml
 * `version: 3.5.0`, `appVersion: v3.5.0`, kubernetes-sigs/aws-load-balancer-controller commit
 * 11eb202 "cut v3.5.0 release", synced to aws/eks-charts in PR #1354, 2026-08). 1.14.0 (v2.14.0)
 * predates Kubernetes 1.36 and the v2 line is frozen; v3.5.0 is what distributions ship for
 * Kubernetes 1.36 (sighupio/module-aws PR #108 "feat: support Kubernetes 1.36": "Upgrade AWS Load
 * Balancer Controller to v3.5.0"; the installation guide's only bound is "v2.5.0+ requires
 * Kubernetes 1.22+", docs/deploy/installation.md). The chart values used here (clusterName,
 * region, vpcId, serviceAccount, enableServiceMutatorWebhook, createIngressClassResource,
 * replicaCount, podDisruptionBudget, topologySpreadConstraints, resources) are all in its values.yaml.
 */
export const DEFAULT_CONTROLLER_CHART_VERSION: string = '3.5.0';

/**
 * Resource requests of the controller's pods (the chart sets `resources: {}`, values.yaml): with
 * requests a pod is no longer BestEffort, the first to be evicted under memory pressure
 * (https://kubernetes.io/docs/concepts/scheduling-eviction/node-pressure-eviction/). The memory
 * limit equals its request so the pod is never killed for taking memory another pod was promised.
 */
export const CONTROLLER_RESOURCES = {
  requests: { cpu: '50m', memory: '128Mi' },
  limits: { memory: '128Mi' },
};

/** What createLoadBalancerController needs (defaults already applied). */
export interface LoadBalancerControllerProps {
  readonly cluster: eks.Cluster;
  /** The one target group the controller keeps filled. */
  readonly targetGroup: elbv2.INetworkTargetGroup;
  readonly chartVersion: string;
  readonly replicas: number;
}

/** The controller's role and Helm release. */
export interface LoadBalancerController {
  readonly role: iam.Role;
  readonly chart: eks.HelmChart;
}

/**
 * Creates, in `scope`, the controller's Pod Identity role (construct `ControllerIdentity`) with
 * only the rights a TargetGroupBinding on `targetGroup` needs, and its Helm release (`Controller`).
 */
export function createLoadBalancerController(scope: Construct, props: LoadBalancerControllerProps): LoadBalancerController {
  const { cluster, chartVersion } = props;
  const role = createControllerRole(scope, cluster, props.targetGroup);
  if (chartVersion !== DEFAULT_CONTROLLER_CHART_VERSION) {
    // `helm upgrade` never installs or updates a chart's crds/ (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/),
    // and the kubectl handler has no step that could read them from the chart: the user applies them.
    warn(scope, WARNINGS.frontendControllerChartCrds,
      `frontend.controllerChartVersion ${chartVersion} is not the default ${DEFAULT_CONTROLLER_CHART_VERSION}: Helm does not update the `
      + 'controller\'s CRDs on upgrade. Before deploying, apply that version\'s CRDs: helm repo add eks https://aws.github.io/eks-charts && '
      + `helm show crds eks/aws-load-balancer-controller --version ${chartVersion} | kubectl apply -f - (README "Upgrading the load balancer controller").`);
  }
  const chart = new eks.HelmChart(scope, 'Controller', {
    cluster,
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-load-balancer-controller',
    release: 'aws-load-balancer-controller',
    version: chartVersion,
    namespace: CONTROLLER_NAMESPACE,
    // Wait for the controller (and its webhook) to be ready: the binding is validated by it. The
    // release starts once the node group is ACTIVE (its nodes have joined), so the wait only covers
    // pulling the image and starting the pods. 10 minutes stay below the kubectl handler Lambda's
    // 15 (aws-eks-v2 kubectl-provider; HelmChart `timeout`: "Maximum 15 minutes"), so a failed wait
    // reaches CloudFormation as Helm's own error, not as a Lambda timeout.
    wait: true,
    timeout: Duration.minutes(10),
    values: {
      clusterName: cluster.clusterName,
      region: Stack.of(scope).region,
      vpcId: cluster.vpc.vpcId,
      serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNT },
      // This controller only serves TargetGroupBindings. Without these two it would claim every
      // `type: LoadBalancer` Service and offer an `alb` IngressClass, neither of which its
      // permissions allow it to fulfil.
      enableServiceMutatorWebhook: false,
      createIngressClassResource: false,
      replicaCount: props.replicas,
      resources: CONTROLLER_RESOURCES,
      ...controllerAvailability(props.replicas),
    },
  });
  // The pods get their credentials at start, so the association (and the agent) must exist
  // first; on delete, the controller must outlive the binding to deregister the targets.
  dependOnPodIdentity(chart, role, cluster);
  return { role, chart };
}

/** The controller's Pod Identity role with the policy a TargetGroupBinding on `targetGroup` needs. */
function createControllerRole(scope: Construct, cluster: eks.Cluster, targetGroup: elbv2.INetworkTargetGroup): iam.Role {
  const role = createPodIdentityRole(new Construct(scope, 'ControllerIdentity'), cluster, CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT).role;
  // Only what TargetGroupBinding needs; the controller never creates or deletes load balancers
  // here (the stack owns them), so none of the Create*/Delete*/Modify* or WAF/Shield/ACM
  // permissions of the controller's full policy are granted.
  // - Describe*: reading the target group, its health, and the VPC / ENIs / security groups of
  //   the pods. These actions have no resource-level permissions, hence '*'.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['elasticloadbalancing:Describe*', 'ec2:Describe*'],
    resources: ['*'],
  }));
  // - Register/DeregisterTargets: keeping the target group in step with the Service's pods,
  //   on this target group only.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
    resources: [targetGroup.targetGroupArn],
  }));
  // - Authorize/RevokeSecurityGroupIngress: the controller reconciles the ingress rules of the
  //   pods' security group for a binding (and fails a binding without them on some versions).
  //   The stack already adds the rule itself; this is limited to the cluster security group.
  role.addToPrincipalPolicy(new iam.PolicyStatement({
    actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
    resources: [Stack.of(scope).formatArn({ service: 'ec2', resource: 'security-group', resourceName: cluster.clusterSecurityGroupId })],
  }));
  acknowledgeGrant(role, ['Action::elasticloadbalancing:Describe*', 'Action::ec2:Describe*', 'Resource::*'],
    'AWS Load Balancer Controller (Pod Identity role of kube-system/aws-load-balancer-controller): it reads target groups, '
    + 'target health, ENIs, subnets and security groups with elasticloadbalancing:Describe* and ec2:Describe*, which have no '
    + 'resource-level permissions, hence Resource *. Read-only; every write action of the role is limited to this target group '
    + 'and the cluster security group, and it has none of the controller\'s Create/Delete/Modify load balancer permissions.');
  return role;
}

/**
 * Chart values (aws-load-balancer-controller 1.14.0 to 3.5.0) that keep 2+
 * replicas on different nodes and stop a drain from evicting more than one at a time. The chart's
 * default affinity only prefers different nodes; the spread constraint requires it, counting only
 * nodes that are not cordoned (nodeTaintsPolicy Honor), so a rollover with one schedulable node
 * still schedules. The chart renders `podDisruptionBudget` only when replicaCount > 1.
 */
function controllerAvailability(replicas: number): { [key: string]: unknown } {
  if (replicas < 2) return {};
  return {
    topologySpreadConstraints: [{
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'DoNotSchedule',
      nodeTaintsPolicy: 'Honor',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'aws-load-balancer-controller' } },
    }],
    podDisruptionBudget: { maxUnavailable: 1 },
  };
}
