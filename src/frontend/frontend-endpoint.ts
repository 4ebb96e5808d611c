import { Annotations, CfnResource, Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT, createPodIdentityRole, validateNamespace, validateServiceAccountName,
} from '../cluster/pod-identity';
import { acknowledge } from '../private/nag';
import { PropError, validateInteger, validatePattern } from '../private/validate';

/** Service of the controller's admission webhook (chart default name prefix `aws-load-balancer`). */
const CONTROLLER_WEBHOOK_SERVICE = 'aws-load-balancer-webhook-service';

/** The listener port that gets a TLS listener (and needs `certificate`). */
const TLS_PORT = 443;

/** How the frontend endpoint is built; shared by FrontendEndpoint and ScopeCluster's `frontend` option. */
export interface FrontendEndpointOptions {
  /**
   * Namespace of the Kubernetes Service the load balancer sends traffic to. Created (and kept
   * when the frontend is removed) unless it is `default`.
   * @default 'default'
   */
  readonly namespace?: string;

  /**
   * Name of the Kubernetes Service the load balancer sends traffic to.
   * @default 'frontend'
   */
  readonly serviceName?: string;

  /**
   * Port of the Kubernetes Service (its `spec.ports[].port`) that the TargetGroupBinding refers to.
   * @default 80
   */
  readonly servicePort?: number;

  /**
   * Port the pods behind the Service listen on (the Service's `targetPort`). The target group
   * uses it and the cluster security group admits the load balancer on it.
   * @default - same as `servicePort`
   */
  readonly targetPort?: number;

  /**
   * Listener ports of the load balancer. Port 443 gets a TLS listener that terminates at the
   * load balancer with `certificate`; every other port is plain TCP. All forward to the same
   * target group.
   * @default [80]
   */
  readonly ports?: number[];

  /**
   * ACM certificate for the TLS listener on port 443. Required when `ports` contains 443 and
   * allowed only then.
   * @default - no TLS listener
   */
  readonly certificate?: acm.ICertificate;

  /**
   * Deletion protection of the load balancer. While it is on, `cdk destroy` (and any change that
   * replaces the load balancer) fails at the load balancer: turn it off and deploy first.
   * @default false (ScopeEnvironment: true in PRODUCTION)
   */
  readonly deletionProtection?: boolean;

  /**
   * S3 bucket for the load balancer's access logs (same region; SSE-S3 or a customer managed KMS
   * key that lets `delivery.logs.amazonaws.com` use it). A Network Load Balancer logs TLS
   * connections only, so logs appear only with a listener on 443. The bucket policy gets the
   * log delivery statements of the Elastic Load Balancing documentation.
   * @default - no access logs
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the access logs in `accessLogsBucket` (without `AWSLogs`, no leading or trailing slash).
   * @default 'frontend'
   */
  readonly accessLogsPrefix?: string;

  /**
   * Version of the `aws-load-balancer-controller` Helm chart (https://aws.github.io/eks-charts).
   * @default '1.14.0' (controller v2.14.0)
   */
  readonly controllerChartVersion?: string;

  /**
   * Replicas of the AWS Load Balancer Controller. With 2 or more they are spread over nodes (one
   * per node where possible) and get a PodDisruptionBudget of maxUnavailable 1, so draining a
   * node never stops every controller. 1 saves a pod slot on small clusters.
   * @default 2
   */
  readonly controllerReplicas?: number;
}

/** Options of ScopeCluster's frontend endpoint. */
export interface FrontendOptions extends FrontendEndpointOptions {
  /**
   * Whether ScopeCluster builds the frontend endpoint at all. Set to `false` for a cluster with
   * no public entry point: no load balancer and no load balancer controller are created and
   * `ScopeCluster.frontend` is `undefined`. (A flag inside the options object, because jsii
   * cannot express a `boolean | FrontendOptions` prop.)
   * @default true
   */
  readonly enabled?: boolean;
}

/** Props of FrontendEndpoint. */
export interface FrontendEndpointProps extends FrontendEndpointOptions {
  /** The cluster whose Service the load balancer serves; the controller is installed into it. */
  readonly cluster: eks.Cluster;
}

/**
 * The public entry point of a cluster, owned by the stack: an internet-facing Network Load
 * Balancer in the public subnets with an IP target group, and the AWS Load Balancer Controller
 * (Helm chart, Pod Identity role) keeping that target group filled with the pods of one
 * Kubernetes Service through a `TargetGroupBinding`.
 *
 * Because CloudFormation creates the load balancer, its DNS name is known in the same deploy
 * (a DNS alias can point at it right away) and `cdk destroy` removes it without Kubernetes
 * having to clean up first.
 */
export class FrontendEndpoint extends Construct {
  /** Default version of the AWS Load Balancer Controller Helm chart (controller v2.14.0). */
  public static readonly DEFAULT_CONTROLLER_CHART_VERSION = '1.14.0';

  /** The load balancer; alias a DNS record to it. */
  public readonly loadBalancer: elbv2.INetworkLoadBalancer;
  /** The load balancer's address type (IPv4 only: the VPC has no IPv6 CIDRs). */
  public readonly ipAddressType: elbv2.IpAddressType = elbv2.IpAddressType.IPV4;
  /** The IP target group that the controller fills with the Service's pods. */
  public readonly targetGroup: elbv2.INetworkTargetGroup;
  /** Security group of the load balancer (open to the internet on the listener ports). */
  public readonly securityGroup: ec2.ISecurityGroup;
  /** Role of the AWS Load Balancer Controller, bound to its service account by Pod Identity. */
  public readonly controllerRole: iam.Role;
  /** The Helm release of the AWS Load Balancer Controller. */
  public readonly controller: eks.HelmChart;
  /** The `TargetGroupBinding` manifest. */
  public readonly binding: eks.KubernetesManifest;
  /** Namespace of the bound Service. */
  public readonly namespace: string;
  /** Name of the bound Service. */
  public readonly serviceName: string;
  /** Port of the bound Service. */
  public readonly servicePort: number;
  /** Port the pods listen on (the target group's port). */
  public readonly targetPort: number;
  /** Listener ports of the load balancer (443 is the TLS listener). */
  public readonly ports: number[];

  constructor(scope: Construct, id: string, props: FrontendEndpointProps) {
    super(scope, id);
    const cluster = props.cluster;

    this.namespace = props.namespace ?? 'default';
    this.serviceName = props.serviceName ?? 'frontend';
    this.servicePort = props.servicePort ?? 80;
    this.targetPort = props.targetPort ?? this.servicePort;
    const ports = props.ports ?? [80];
    this.ports = ports;
    validateNamespace('frontend.namespace', this.namespace);
    validateServiceAccountName('frontend.serviceName', this.serviceName);
    validateInteger('frontend.servicePort', this.servicePort, 1, 65535);
    validateInteger('frontend.targetPort', this.targetPort, 1, 65535);
    validateListenerPorts(ports, props.certificate);
    validatePattern('frontend.controllerChartVersion', props.controllerChartVersion, /^\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$/,
      'must be a version of the aws-load-balancer-controller Helm chart such as 1.14.0');
    const controllerReplicas = props.controllerReplicas ?? 2;
    validateInteger('frontend.controllerReplicas', controllerReplicas, 1, 10);

    // ---- AWS side: load balancer, target group, security groups --------------------------------
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: cluster.vpc,
      description: 'Frontend load balancer: listener ports from anywhere, target port to the cluster',
      allowAllOutbound: false,
    });
    const nlb = new elbv2.NetworkLoadBalancer(this, 'LoadBalancer', {
      vpc: cluster.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroups: [this.securityGroup],
      crossZoneEnabled: true,
      deletionProtection: props.deletionProtection ?? false,
    });
    this.loadBalancer = nlb;
    if (props.accessLogsBucket) {
      logAccessLogs(nlb, props.accessLogsBucket, props.accessLogsPrefix ?? 'frontend');
    } else if (props.accessLogsPrefix !== undefined) {
      throw new PropError('Invalid frontend.accessLogsPrefix: it applies only with frontend.accessLogsBucket.');
    }

    // The controller's webhook rejects a changed targetGroupARN on an existing TargetGroupBinding
    // and a second binding on one target group, and Port is create-only on the target group: so
    // a change of target port, Service or namespace replaces the target group and the binding
    // together (new construct ids, new binding name), never updates them. The first key keeps
    // the ids of earlier releases.
    const bindingKey = this.namespace === 'default' && this.serviceName === 'frontend' && this.targetPort === 80
      ? '' : `-${this.namespace}-${this.serviceName}-${this.targetPort}`;
    const targetGroup = new elbv2.NetworkTargetGroup(this, `TargetGroup${bindingKey}`, {
      vpc: cluster.vpc,
      port: this.targetPort,
      protocol: elbv2.Protocol.TCP,
      targetType: elbv2.TargetType.IP,
      deregistrationDelay: Duration.seconds(30),
    });
    this.targetGroup = targetGroup;

    for (const port of ports) {
      nlb.connections.allowFromAnyIpv4(ec2.Port.tcp(port), `Frontend port ${port} from the internet`);
      nlb.addListener(`Listener${port}`, port === TLS_PORT
        ? {
          port,
          protocol: elbv2.Protocol.TLS,
          certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.certificate!)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
          defaultTargetGroups: [targetGroup],
        }
        : { port, protocol: elbv2.Protocol.TCP, defaultTargetGroups: [targetGroup] });
    }
    // IP targets: the load balancer talks to the pods directly. Nodes (and so pods) carry the
    // cluster security group, which must admit the load balancer on the pods' port.
    nlb.connections.allowTo(cluster.clusterSecurityGroup, ec2.Port.tcp(this.targetPort), 'Frontend load balancer to frontend pods');

    // ---- Kubernetes side: the controller and the binding ---------------------------------------
    const controllerIdentity = createPodIdentityRole(new Construct(this, 'ControllerIdentity'), cluster, CONTROLLER_NAMESPACE, CONTROLLER_SERVICE_ACCOUNT);
    this.controllerRole = controllerIdentity.role;
    const stack = Stack.of(this);
    // Only what TargetGroupBinding needs; the controller never creates or deletes load balancers
    // here (the stack owns them), so none of the Create*/Delete*/Modify* or WAF/Shield/ACM
    // permissions of the controller's full policy are granted.
    // - Describe*: reading the target group, its health, and the VPC / ENIs / security groups of
    //   the pods. These actions have no resource-level permissions, hence '*'.
    this.controllerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['elasticloadbalancing:Describe*', 'ec2:Describe*'],
      resources: ['*'],
    }));
    // - Register/DeregisterTargets: keeping the target group in step with the Service's pods,
    //   on this target group only.
    this.controllerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['elasticloadbalancing:RegisterTargets', 'elasticloadbalancing:DeregisterTargets'],
      resources: [targetGroup.targetGroupArn],
    }));
    // - Authorize/RevokeSecurityGroupIngress: the controller reconciles the ingress rules of the
    //   pods' security group for a binding (and fails a binding without them on some versions).
    //   The stack already adds the rule itself; this is limited to the cluster security group.
    this.controllerRole.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      resources: [stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: cluster.clusterSecurityGroupId })],
    }));

    const chartVersion = props.controllerChartVersion ?? FrontendEndpoint.DEFAULT_CONTROLLER_CHART_VERSION;
    if (chartVersion !== FrontendEndpoint.DEFAULT_CONTROLLER_CHART_VERSION) {
      // `helm upgrade` never installs or updates a chart's crds/ (https://helm.sh/docs/chart_best_practices/custom_resource_definitions/),
      // and the kubectl handler has no step that could read them from the chart: the user applies them.
      Annotations.of(this).addWarningV2('cdk-scope-environment:controllerChartCrds',
        `frontend.controllerChartVersion ${chartVersion} is not the default ${FrontendEndpoint.DEFAULT_CONTROLLER_CHART_VERSION}: Helm does not update the `
        + 'controller\'s CRDs on upgrade. Before deploying, apply that version\'s CRDs: helm repo add eks https://aws.github.io/eks-charts && '
        + `helm show crds eks/aws-load-balancer-controller --version ${chartVersion} | kubectl apply -f - (README "Upgrading the load balancer controller").`);
    }
    this.controller = new eks.HelmChart(this, 'Controller', {
      cluster,
      repository: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      release: 'aws-load-balancer-controller',
      version: chartVersion,
      namespace: CONTROLLER_NAMESPACE,
      // Wait for the controller (and its webhook) to be ready: the binding below is validated by it.
      wait: true,
      timeout: Duration.minutes(10),
      values: {
        clusterName: cluster.clusterName,
        region: stack.region,
        vpcId: cluster.vpc.vpcId,
        serviceAccount: { create: true, name: CONTROLLER_SERVICE_ACCOUNT },
        // This controller only serves TargetGroupBindings. Without these two it would claim every
        // `type: LoadBalancer` Service and offer an `alb` IngressClass, neither of which its
        // permissions allow it to fulfil.
        enableServiceMutatorWebhook: false,
        createIngressClassResource: false,
        replicaCount: controllerReplicas,
        ...controllerAvailability(controllerReplicas),
      },
    });
    // The pods get their credentials at start, so the association (and the agent) must exist
    // first; on delete, the controller must outlive the binding to deregister the targets.
    this.controller.node.addDependency(controllerIdentity.association, this.controllerRole);
    if (cluster.eksPodIdentityAgent) this.controller.node.addDependency(cluster.eksPodIdentityAgent);

    const namespaceManifest = this.namespace === 'default' ? undefined : new eks.KubernetesManifest(this, 'Namespace', {
      cluster,
      manifest: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } }],
      overwrite: true,
      // The application lives in this namespace: removing the frontend must not delete it.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The binding is validated by the controller's webhook: Helm's --wait returns once the pod is
    // ready, but the webhook Service can lag without endpoints for a moment, and a failed create
    // rolls the whole stack back. Wait (up to 5 min, polled every 10 s by the kubectl handler)
    // until the Service has a ready address. Named after the chart version, so a chart upgrade waits again.
    // v1 Endpoints is deprecated since Kubernetes 1.33 but still served; EndpointSlice names are
    // generated, and KubernetesObjectValue needs a fixed object name.
    const webhookReady = new eks.KubernetesObjectValue(this, `ControllerWebhookReady${chartVersion === FrontendEndpoint.DEFAULT_CONTROLLER_CHART_VERSION ? '' : `-${chartVersion}`}`, {
      cluster,
      objectType: 'endpoints',
      objectName: CONTROLLER_WEBHOOK_SERVICE,
      objectNamespace: CONTROLLER_NAMESPACE,
      jsonPath: '.subsets[0].addresses[0].ip',
      timeout: Duration.minutes(5),
    });
    webhookReady.node.addDependency(this.controller);

    this.binding = new eks.KubernetesManifest(this, `TargetGroupBinding${bindingKey}`, {
      cluster,
      manifest: [{
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name: bindingKey ? `${this.serviceName}-${this.targetPort}` : this.serviceName, namespace: this.namespace },
        spec: {
          serviceRef: { name: this.serviceName, port: this.servicePort },
          targetGroupARN: targetGroup.targetGroupArn,
          targetType: 'ip',
        },
      }],
    });
    this.binding.node.addDependency(this.controller, webhookReady);
    if (namespaceManifest) this.binding.node.addDependency(namespaceManifest);

    // cdk-nag (AwsSolutions) findings that are the point of a public entry point, with reasons.
    acknowledge(this.securityGroup.node.defaultChild as CfnResource, {
      id: 'AwsSolutions-EC23',
      reason: 'Security group of the internet-facing frontend load balancer: it admits 0.0.0.0/0 only on the listener ports '
        + '(frontend.ports, default 80), which is what a public web entry point is for; its only egress is the target port to the cluster security group.',
    });
    if (!props.accessLogsBucket) {
      acknowledge(nlb.node.defaultChild as CfnResource, {
        id: 'AwsSolutions-ELB2',
        reason: 'Access logs are off (frontend.accessLogsBucket not given): Network Load Balancer access logs cover TLS listeners only '
          + 'and need an S3 bucket with a log delivery policy; ScopeEnvironment turns them on in PRODUCTION. Connections are recorded by VPC flow logs.',
      });
    }
    acknowledge(this.controllerRole.node.findChild('DefaultPolicy'), ...['Action::elasticloadbalancing:Describe*', 'Action::ec2:Describe*', 'Resource::*'].map(finding => ({
      id: `AwsSolutions-IAM5[${finding}]`,
      reason: 'AWS Load Balancer Controller (Pod Identity role of kube-system/aws-load-balancer-controller): it reads target groups, '
        + 'target health, ENIs, subnets and security groups with elasticloadbalancing:Describe* and ec2:Describe*, which have no '
        + 'resource-level permissions, hence Resource *. Read-only; every write action of the role is limited to this target group '
        + 'and the cluster security group, and it has none of the controller\'s Create/Delete/Modify load balancer permissions.',
    })));
  }
}

/**
 * Chart values (aws-load-balancer-controller 1.14.0, aws/eks-charts commit 049a6f7) that keep 2+
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

function validateListenerPorts(ports: number[], certificate: acm.ICertificate | undefined): void {
  if (ports.length === 0) {
    throw new PropError('Invalid frontend.ports []: give at least one listener port (e.g. [80] or [80, 443]).');
  }
  for (const port of ports) validateInteger('frontend.ports', port, 1, 65535);
  const resolved = ports.filter(p => !Token.isUnresolved(p));
  if (new Set(resolved).size !== resolved.length) {
    throw new PropError(`Invalid frontend.ports [${ports.join(', ')}]: each port may appear only once.`);
  }
  const tls = ports.includes(TLS_PORT);
  if (tls && !certificate) {
    throw new PropError(`Invalid frontend.ports [${ports.join(', ')}]: port 443 is a TLS listener and needs frontend.certificate (an ACM certificate).`);
  }
  if (!tls && certificate) {
    throw new PropError(`Invalid frontend.certificate: it is used only by a TLS listener on port 443; add 443 to frontend.ports (now [${ports.join(', ')}]).`);
  }
}

/**
 * Access logs of `nlb` into `bucket` under `prefix`, with the bucket policy of "Enable access logs
 * for your Network Load Balancer" (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/enable-access-logs.html):
 * the log delivery service of this account and region only. (`logAccessLogs` of aws-cdk-lib also
 * grants the regional ELB account, which only Application and Classic Load Balancers use, and
 * needs the region at synth time.)
 */
function logAccessLogs(nlb: elbv2.NetworkLoadBalancer, bucket: s3.IBucket, prefix: string): void {
  validatePattern('frontend.accessLogsPrefix', prefix, /^(?!.*AWSLogs)[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
    'must be S3 key characters without a leading or trailing slash, and must not contain AWSLogs');
  const stack = Stack.of(nlb);
  nlb.setAttribute('access_logs.s3.enabled', 'true');
  nlb.setAttribute('access_logs.s3.bucket', bucket.bucketName);
  nlb.setAttribute('access_logs.s3.prefix', prefix);
  const delivery = new iam.ServicePrincipal('delivery.logs.amazonaws.com');
  const conditions = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'logs', resource: '*' }) },
  };
  const statements = [
    new iam.PolicyStatement({ sid: 'FrontendAccessLogsAclCheck', principals: [delivery], actions: ['s3:GetBucketAcl'], resources: [bucket.bucketArn], conditions }),
    new iam.PolicyStatement({
      sid: 'FrontendAccessLogsWrite',
      principals: [delivery],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/*`)],
      conditions: { ...conditions, StringEquals: { ...conditions.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }),
  ];
  if (!statements.map(statement => bucket.addToResourcePolicy(statement).statementAdded).every(added => added)) {
    Annotations.of(nlb).addWarningV2('cdk-scope-environment:frontendAccessLogsPolicy',
      'frontend.accessLogsBucket: the bucket is imported, so its policy cannot be changed here; it must already let '
      + `delivery.logs.amazonaws.com put objects under ${prefix}/AWSLogs/${stack.account}/, or the deployment fails at the load balancer.`);
  }
  // Elastic Load Balancing checks the bucket policy when access logging is turned on.
  const policy = bucket.policy?.node.defaultChild;
  if (policy) nlb.node.addDependency(policy);
}
